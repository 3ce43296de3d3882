// What the page reads or publishes on `window` beyond the DOM's own.
export {};

declare global {
  interface Window {
    /** Set by Electron's preload (see lib/transport.ts); absent in the browser shell. */
    tenantConsole?: unknown;
    /** Duration of the last Tenants filter update in ms, read by the UI benchmark. */
    __tenantsFilterMs?: number;
  }
}
