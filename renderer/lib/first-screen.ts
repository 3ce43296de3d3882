/** What the first screen asks for before React loads (main.ts), without React: shared with the queries. */

/** How many rows the first screen draws before the whole list is in: more than a screenful. */
export const TENANTS_HEAD_ROWS = 100;
