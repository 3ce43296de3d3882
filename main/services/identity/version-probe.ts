/**
 * Asks an instance which Tracardi it runs (`GET /info/version/details`) and compares the answer with
 * its version profile (shared/instances/version-check.ts). One request per check; never throws for an answer
 * that did not come (that is `could-not-tell`).
 */
import { toConsoleError } from '../../../shared/errors/errors';
import type { Instance } from '../../../shared/instances/instance';
import { compareVersion, type ReportedVersion, type VersionCheck } from '../../../shared/instances/version-check';
import type { TracardiTarget } from '../tracardi-client';

/** The one Tracardi call a check makes (TracardiClient has it). */
export interface VersionDetailsSource {
  getVersionDetails(target: TracardiTarget, options?: { timeoutMs?: number }): Promise<ReportedVersion>;
}

/** Which Tracardi version an instance reports, against its profile. */
export class VersionProbe {
  constructor(
    private readonly tracardi: VersionDetailsSource,
    // As `instances test` waits: the details run Tracardi's whole install check (a real 0.8.2 took
    // 4.3 s on a loaded 2-core machine), so the verify probe's 5 s is too short here.
    private readonly timeoutMs = 10_000,
  ) {}

  /**
   * Asks the instance. `tenantHost`: a tenant's API domain, sent as Host to a multi-tenant instance
   * (which derives a tenant from the Host and refuses one without three labels); a single-tenant
   * instance ignores the Host, so it is asked plainly, as `instances test` asks.
   */
  async check(
    instance: Pick<Instance, 'id' | 'apiUrl' | 'tenancy' | 'tracardiVersion'>,
    options: { tenantHost?: string } = {},
  ): Promise<VersionCheck> {
    const host = instance.tenancy === 'multi-tenant' ? options.tenantHost : undefined;
    try {
      const answer = await this.tracardi.getVersionDetails(
        { apiUrl: instance.apiUrl, ...(host !== undefined ? { tenantHost: host } : {}) },
        { timeoutMs: this.timeoutMs },
      );
      return compareVersion(instance.id, instance.tracardiVersion, answer);
    } catch (err) {
      const error = toConsoleError(err);
      return {
        instanceId: instance.id,
        registered: instance.tracardiVersion,
        outcome: 'could-not-tell',
        reported: null,
        message: `Could not ask it which Tracardi it runs: ${error.message}`,
        error: error.toJSON(),
      };
    }
  }
}
