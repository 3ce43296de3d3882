/** The single IPC channel every contract call travels on. */
export const IPC_CHANNEL = 'tenant-console:call';
