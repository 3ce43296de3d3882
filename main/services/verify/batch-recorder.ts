/** Storing verification results with the tenant records, in batches, during a run. */
import { toConsoleError } from '../../../shared/errors/errors';
import type { VerificationResult } from '../../../shared/tenants/tenant';
import type { VerifyStats, VerifyTenants } from './types';

/**
 * Stores results in batches, one write at a time, in the background of the run: at most one write
 * per interval (a long run keeps what it verified if it is interrupted) and one at the end.
 */
export class BatchRecorder {
  private pending: VerificationResult[] = [];
  private chain: Promise<void> = Promise.resolve();
  private lastWrite = performance.now();

  constructor(
    private readonly tenants: VerifyTenants,
    private readonly intervalMs: number,
    private readonly stats: VerifyStats,
  ) {}

  add(result: VerificationResult): void {
    this.pending.push(result);
    if (performance.now() - this.lastWrite >= this.intervalMs) void this.write();
  }

  /** Writes what is pending and waits for every write so far. */
  async flush(): Promise<void> {
    await this.write();
  }

  private write(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.lastWrite = performance.now();
    if (batch.length > 0) {
      this.chain = this.chain.then(async () => {
        try {
          await this.tenants.recordVerification(batch);
        } catch (err) {
          const message = toConsoleError(err).message;
          for (const r of batch)
            this.stats.recordFailures.push({ instanceId: r.instanceId, tenant: r.tenant, message });
        }
      });
    }
    return this.chain;
  }
}
