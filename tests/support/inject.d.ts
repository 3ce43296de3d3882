// Values the vitest globalSetups (tests/support/global-setup.ts, global-setup-secured.ts) hand to tests through `inject()`.
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URLs (plain HTTP, security disabled) of two separate Elasticsearch clusters. */
    esUrls: string[];
    /** The state file of the secured cluster (integration-secured project): read it with `securedCluster()`. */
    esSecuredState: string;
  }
}
