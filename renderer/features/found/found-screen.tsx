/**
 * Found on instance: the tenants an instance holds that the console has no record of (from the
 * Elasticsearch names of every version profile, confirmed by the TMS where there is one), each with
 * its evidence and the status verification would give; adopt one, or every adoptable one at once.
 */
import { useState } from 'react';
import { deletedText, proposedDomain, type FoundTenant } from '../../../shared/tenants/adoption';
import type { Instance } from '../../../shared/instances/instance';
import { DataTable, type DataColumn } from '../../components/data-table';
import { ErrorMessage } from '../../components/error-message';
import { instanceOptions, SelectField } from '../../components/select-field';
import { Spinner } from '../../components/spinner';
import { StatusBadge } from '../../components/status-badge';
import { formatBytes, formatCount, formatDate, formatTime, plural } from '../../lib/format';
import { navigate } from '../../lib/router';
import { useInstances } from '../../lib/use-server-state';
import { AdoptDialog } from './adopt-dialog';
import { useAdopt, useDiscovery } from './use-discovery';

export function FoundScreen({ instanceId: initial }: { instanceId?: string }) {
  const views = useInstances().data ?? [];
  const instanceId = views.some((v) => v.instance.id === initial) ? initial! : (views[0]?.instance.id ?? '');
  const instance = views.find((v) => v.instance.id === instanceId)?.instance;
  const discovery = useDiscovery(instanceId);
  const { all } = useAdopt(instanceId);
  const [adopting, setAdopting] = useState<FoundTenant | null>(null);
  const report = discovery.data;
  const adoptable = report?.found.filter((f) => !f.notAdoptable) ?? [];

  return (
    <section className="screen" aria-labelledby="found-heading">
      <header className="screen-header">
        <h1 id="found-heading">Found on instance</h1>
      </header>
      <p className="muted">
        Tenants the instance holds that the console has no record of: read from Elasticsearch&apos;s index, alias and
        template names. Adopting records one; nothing on the instance changes.
      </p>
      <div className="toolbar">
        <SelectField
          label="Instance"
          value={instanceId}
          {...(views.length === 0 ? { empty: 'No instances: add one first' } : {})}
          options={instanceOptions(views, true)}
          onChange={(id) => navigate({ screen: 'found', instanceId: id })}
        />
        <button type="button" onClick={() => void discovery.refetch()} disabled={!instanceId || discovery.isFetching}>
          {discovery.isFetching ? 'Looking…' : 'Look again'}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!instance || adoptable.length === 0 || all.isPending}
          onClick={() =>
            instance &&
            all.mutate(
              adoptable.map((f) => ({
                instanceId: instance.id,
                tenant: f.tenant,
                ...(instance.tenancy === 'single-tenant' ? {} : { domain: proposedDomain(instance, f.tenant) }),
              })),
            )
          }
        >
          {all.isPending ? 'Adopting…' : `Adopt all (${formatCount(adoptable.length)})`}
        </button>
      </div>
      {all.data?.failed.length ? (
        <ul className="warnings" aria-label="Not adopted">
          {all.data.failed.map((f) => (
            <li key={f.tenant}>
              {f.tenant}: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      {discovery.isLoading ? <Spinner label="Looking at the instance" /> : null}
      {discovery.error ? <ErrorMessage error={discovery.error} prefix="Discovery failed:" /> : null}
      {report && instance ? (
        <>
          {report.notes.map((n) => (
            <p key={n} className="muted">
              {n}
            </p>
          ))}
          <FoundTable instance={instance} found={report.found} onAdopt={setAdopting} />
          {report.recorded.length ? (
            <p className="muted">Already recorded here: {report.recorded.join(', ')}.</p>
          ) : null}
          {report.unrecognised.length ? (
            <section aria-labelledby="unrecognised-heading">
              <h2 id="unrecognised-heading">Unrecognised names</h2>
              <p className="muted">
                They look like Tracardi&apos;s but fit no version profile: no tenant is guessed from them.
              </p>
              <ul aria-labelledby="unrecognised-heading">
                {report.unrecognised.map((u) => (
                  <li key={`${u.kind}:${u.name}`}>
                    <code>{u.name}</code> ({u.kind}): {u.why}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <p className="muted">
            Checked {formatTime(report.checkedAt)} with {plural(report.esRequests, 'Elasticsearch request')}.
          </p>
        </>
      ) : null}
      {adopting && instance ? (
        <AdoptDialog instance={instance} found={adopting} onClose={() => setAdopting(null)} />
      ) : null}
    </section>
  );
}

function FoundTable({
  instance,
  found,
  onAdopt,
}: {
  instance: Instance;
  found: FoundTenant[];
  onAdopt: (f: FoundTenant) => void;
}) {
  if (found.length === 0) return <p>Every tenant on {instance.name} has a record: nothing to adopt.</p>;
  return (
    <DataTable label={`Tenants found on ${instance.name}`} columns={FOUND_COLUMNS}>
      {found.map((f) => (
        <tr key={f.tenant} aria-label={f.tenant}>
          <th scope="row">
            {f.tenant}
            {/* A delete keeps the tenant's data: say why it is here again, and who deleted it. */}
            {f.deleted ? <div className="muted small-text found-deleted">{deletedSentence(f.deleted)}</div> : null}
          </th>
          <td>
            {f.verification ? (
              <span title={f.verification.summary}>
                <StatusBadge status={f.verification.status} />
              </span>
            ) : (
              'not asked'
            )}
          </td>
          <td>
            {f.footprints.map((p) => `${p.version}: ${p.contexts.join(', ')}`).join('; ') || 'no data'}
            <div className="muted small-text">
              {plural(sum(f, 'indices'), 'index', 'indices')}, {plural(sum(f, 'primaries'), 'primary shard')},{' '}
              {formatBytes(sum(f, 'sizeBytes'))}; oldest index {oldest(f)}
            </div>
          </td>
          <td>{TMS_TEXT[f.tms.outcome]}</td>
          <td>
            {f.notAdoptable ? (
              <span className="muted">{f.notAdoptable}</span>
            ) : (
              <button
                type="button"
                onClick={() => onAdopt(f)}
                aria-label={f.deleted ? `Adopt ${f.tenant} again` : `Adopt ${f.tenant}`}
              >
                {f.deleted ? 'Adopt again…' : 'Adopt…'}
              </button>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** "Deleted by Ann on ws-1 at <time> (it was x.example.com); a delete keeps the Elasticsearch data: …". */
function deletedSentence(d: NonNullable<FoundTenant['deleted']>): string {
  const text = deletedText(d, formatTime(d.at));
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

const FOUND_COLUMNS: DataColumn[] = [
  'Tenant',
  'Status',
  'Found in Elasticsearch',
  'TMS',
  { label: 'Action', hidden: true },
];

const TMS_TEXT: Record<FoundTenant['tms']['outcome'], string> = {
  registered: 'registered',
  absent: 'not registered',
  'no-tms': 'none (single-tenant)',
  'could-not-tell': 'could not tell',
};

function sum(f: FoundTenant, key: 'indices' | 'primaries' | 'sizeBytes'): number {
  return f.footprints.reduce((n, p) => n + p[key], 0);
}

function oldest(f: FoundTenant): string {
  const dates = f.footprints.flatMap((p) => (p.oldestIndexCreated ? [p.oldestIndexCreated] : [])).sort();
  return dates[0] ? formatDate(dates[0]) : 'unknown';
}
