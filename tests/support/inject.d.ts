// Values the vitest globalSetup (tests/support/global-setup.ts) hands to tests through `inject()`.
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URLs (plain HTTP, security disabled) of two separate Elasticsearch clusters. */
    esUrls: string[];
  }
}
