/** Hands the shell's typed API to components (one client per page, created in main.ts). */
import { createContext, useContext, type ReactNode } from 'react';
import type { ConsoleApi } from '../../shared/contract/contract';
import type { ConsoleClient, ShellKind } from './transport';

const ClientContext = createContext<ConsoleClient | null>(null);

export function ApiProvider({ client, children }: { client: ConsoleClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

function useClient(): ConsoleClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('ApiProvider is missing above this component.');
  return client;
}

/** The contract's calls, typed. */
export function useApi(): ConsoleApi {
  return useClient().api;
}

/** Which shell hosts the page, as detected by the transport. */
export function useShellKind(): ShellKind {
  return useClient().shell;
}
