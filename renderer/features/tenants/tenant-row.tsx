/**
 * One row of the virtualised Tenants table. Light by design: no work beyond what it shows; the
 * details (evidence, actions) mount only when the row is expanded.
 */
import { lazy, memo, Suspense } from 'react';
import { EnvironmentBadge } from '../../components/environment-badge';
import { StatusBadge } from '../../components/status-badge';
import type { TenantRow as Row } from './filter-tenants';
import { toggleExpanded, toggleSelected } from './tenants-store';

// An expanded row's evidence, token and danger actions: a chunk of its own, loaded when a row is
// first opened, so the list's first screen does not wait for the token and dialog code.
const TenantDetails = lazy(() => import('./tenant-details').then((m) => ({ default: m.TenantDetails })));

export interface TenantRowProps {
  row: Row;
  index: number;
  start: number;
  expanded: boolean;
  selected: boolean;
  measure: (node: HTMLElement | null) => void;
}

export const TenantRowView = memo(function TenantRowView({
  row,
  index,
  start,
  expanded,
  selected,
  measure,
}: TenantRowProps) {
  const { record, verification, instance } = row;
  const detailsId = `tenant-details-${index}`;
  return (
    <div
      className={`vrow${expanded ? ' is-expanded' : ''}${instance?.environment === 'production' ? ' is-production' : ''}`}
      data-index={index}
      ref={measure}
      role="presentation"
      style={{ transform: `translateY(${start}px)` }}
    >
      <div
        className="trow"
        role="row"
        aria-rowindex={index + 2}
        data-tenant={record.tenant}
        data-instance-id={record.instanceId}
        onClick={(e) => {
          if ((e.target as HTMLElement).closest('button, input, a')) return;
          toggleExpanded(row.key);
        }}
      >
        <div role="cell" className="tcell tcell-select">
          <input
            type="checkbox"
            checked={selected}
            onChange={() => toggleSelected(row.key)}
            aria-label={`Select ${record.tenant} on ${instance?.name ?? record.instanceId}`}
          />
        </div>
        <div role="cell" className="tcell tcell-tenant">
          <button
            type="button"
            className="link-button"
            aria-expanded={expanded}
            aria-controls={expanded ? detailsId : undefined}
            onClick={() => toggleExpanded(row.key)}
          >
            {record.tenant}
          </button>
        </div>
        <div role="cell" className="tcell">
          {instance ? <EnvironmentBadge environment={instance.environment} colour={instance.colour} /> : null}{' '}
          {instance?.name ?? record.instanceId}
        </div>
        <div role="cell" className="tcell tcell-domain" title={record.apiDomain}>
          {record.apiDomain}
        </div>
        <div role="cell" className="tcell tcell-status">
          <StatusBadge status={record.state} />
        </div>
        <div role="cell" className="tcell tcell-status">
          {verification ? (
            <StatusBadge status={verification.status} label={`verified: ${verification.status}`} />
          ) : (
            <StatusBadge status="never" label="not verified" />
          )}
        </div>
      </div>
      {expanded ? (
        <div role="row" className="trow-details">
          <div role="cell" aria-colspan={6}>
            <Suspense fallback={<p className="muted">Loading…</p>}>
              <TenantDetails row={row} id={detailsId} />
            </Suspense>
          </div>
        </div>
      ) : null}
    </div>
  );
});
