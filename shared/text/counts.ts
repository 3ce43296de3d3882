/**
 * A count and its noun in the words main's messages carry to every shell ("1 instance", "1,000
 * tenants"): grouped as tenantctl prints figures. The window writes its own figures in the operator's
 * locale (renderer/lib/format.ts); this is for text made in main or shared. Zod-free, pure.
 */

/** 12345 → "12,345". */
export function groupDigits(n: number): string {
  const whole = Math.round(n) || 0;
  return String(whole).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** countOf(1, 'instance') → "1 instance"; countOf(3, 'index', 'indices') → "3 indices". */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${groupDigits(n)} ${Math.round(n) === 1 ? one : many}`;
}
