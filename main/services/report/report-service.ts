/**
 * The fleet report: every tenant with its status, instance, token state, last verification and
 * evidence, as CSV or JSON. Read-only: the records, the instances and one keychain listing of token
 * accounts (which tokens exist, never a token's value). Each report is audited as an 'export'.
 */
import type { AuditLog } from '../audit-log';
import type { InstanceService } from '../instances';
import type { SecretStore } from '../keychain';
import type { TenantService } from '../tenants';
import { REPORT_CONTENT_TYPES, reportFileName, reportPieces, type ReportFormat } from './format';
import { reportRow, type FleetReportRow, type InstanceFacts } from './rows';

export interface FleetReportDeps {
  tenants: Pick<TenantService, 'list'>;
  instances: Pick<InstanceService, 'list'>;
  secrets: Pick<SecretStore, 'list'>;
  audit: Pick<AuditLog, 'record'>;
  clock?: () => Date;
  /** This console's keychain: a token the team registry says another keychain holds is `elsewhere`. */
  keychainId?: string;
}

export interface ReportOptions {
  format: ReportFormat;
  /** Only this instance's tenants. */
  instanceId?: string;
}

export interface FleetReport {
  fileName: string;
  contentType: string;
  /** Tenants in the report. */
  count: number;
  /** The report's text, piece by piece (header, one piece per tenant, footer). */
  pieces: Iterable<string>;
}

export class FleetReportService {
  private readonly deps: FleetReportDeps;

  constructor(deps: FleetReportDeps) {
    this.deps = deps;
  }

  /** One row per tenant, sorted by instance then tenant. */
  async rows(filter: { instanceId?: string } = {}): Promise<FleetReportRow[]> {
    const now = (this.deps.clock ?? (() => new Date()))();
    const [records, instances] = await Promise.all([this.deps.tenants.list(filter), this.deps.instances.list()]);
    const facts = new Map<string, InstanceFacts>(
      instances.map(({ instance: i }) => [i.id, { name: i.name, environment: i.environment }]),
    );
    let tokens: Set<string> | null;
    try {
      tokens = records.length ? new Set(await this.deps.secrets.list('token/')) : new Set();
    } catch {
      // A locked or missing keychain leaves token presence unknown; the rest of the report stands.
      tokens = null;
    }
    return records.map((r) => reportRow(r, facts.get(r.instanceId), tokens, now, this.deps.keychainId));
  }

  /** The report, ready to stream; audited once it is built. */
  async report(options: ReportOptions): Promise<FleetReport> {
    const generatedAt = (this.deps.clock ?? (() => new Date()))().toISOString();
    const filter = options.instanceId !== undefined ? { instanceId: options.instanceId } : {};
    const rows = await this.rows(filter);
    await this.deps.audit.record({
      action: 'export',
      outcome: 'ok',
      ...(options.instanceId !== undefined ? { instanceId: options.instanceId } : {}),
      detail: `fleet report (${options.format}, ${rows.length} tenant${rows.length === 1 ? '' : 's'})`,
    });
    return {
      fileName: reportFileName(options.format, generatedAt),
      contentType: REPORT_CONTENT_TYPES[options.format],
      count: rows.length,
      pieces: reportPieces(rows, options.format, generatedAt),
    };
  }

  /** The whole report as one text (what the UI downloads). */
  async render(
    options: ReportOptions,
  ): Promise<{ fileName: string; contentType: string; count: number; content: string }> {
    const { pieces, ...rest } = await this.report(options);
    return { ...rest, content: [...pieces].join('') };
  }
}
