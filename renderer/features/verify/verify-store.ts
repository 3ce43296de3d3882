/** The verification job the Verify screen follows (kept across navigation; the job runs in the core). */
import { createStore, useStore } from '../../lib/store';

interface VerifyUiState {
  jobId: string | null;
  /** "the whole fleet", "instance X", "12 selected tenants". */
  scopeLabel: string;
  startedAt: number | null;
}

const store = createStore<VerifyUiState>({ jobId: null, scopeLabel: '', startedAt: null });

export function followJob(jobId: string, scopeLabel: string): void {
  store.set({ jobId, scopeLabel, startedAt: Date.now() });
}

export function useFollowedJob(): VerifyUiState {
  return useStore(store, (s) => s);
}
