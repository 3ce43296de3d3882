/**
 * Tenants: one list across every instance, virtualised (only the rows in view exist in the DOM),
 * filtered in memory. Click or Enter on a tenant expands its evidence and actions.
 */
import { useCallback, useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ErrorMessage } from '../../components/error-message';
import { Spinner } from '../../components/spinner';
import { formatCount } from '../../lib/format';
import { qk } from '../../lib/query-client';
import { useRefreshHandler } from '../../lib/refresh';
import { navigate, routeHash } from '../../lib/router';
import { ExportReport } from '../fleet-report';
import { MoveInNotice } from '../team/move-in-notice';
import { TenantFilterBar } from './tenant-filter-bar';
import { TenantRowView } from './tenant-row';
import { TenantTableHead } from './tenant-table-head';
import { clearSelection, selectKeys, useExpandedTenant, useSelectedTenants } from './tenants-store';
import { useTenantRows } from './use-tenant-rows';

const ROW_HEIGHT = 44;
let firstRenderMarked = false;
let completeRenderMarked = false;

export function TenantsScreen() {
  const { query, rows, filtered, stale, total, sort } = useTenantRows();
  const complete = query.isSuccess;
  const expanded = useExpandedTenant();
  const selected = useSelectedTenants();
  const qc = useQueryClient();
  const scrollRef = useRef<HTMLDivElement>(null);
  const refresh = useCallback(() => void qc.refetchQueries({ queryKey: qk.tenants }), [qc]);
  useRefreshHandler(refresh);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design.
  const virtualizer = useVirtualizer({
    count: filtered.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    // The list's box is measured after the first commit; until then the window's size stands in, so
    // the first render already draws the rows in view (with no rect it drew none, then measured and
    // rendered again: two passes on the cold first load).
    initialRect: { width: window.innerWidth, height: window.innerHeight },
    getItemKey: (i) => filtered[i]?.key ?? i,
    // Sizes come from the ResizeObserver (after layout), never from reading offsetHeight as a row
    // mounts: that forced a synchronous layout per filter change. Unmeasured rows keep their last size.
    measureElement: (element, entry, instance) => {
      const box = entry?.borderBoxSize?.[0];
      if (box) return Math.round(box.blockSize);
      const key = instance.options.getItemKey(instance.indexFromElement(element));
      return instance.itemSizeCache.get(key) ?? ROW_HEIGHT;
    },
  });
  const items = virtualizer.getVirtualItems();

  // A link or a search result names a tenant (`sel`): once its row is in the list, scroll it into view.
  const scrolledTo = useRef<string | null>(null);
  const selIndex = expanded ? filtered.findIndex((r) => r.key === expanded) : -1;
  useEffect(() => {
    if (!expanded || selIndex < 0 || scrolledTo.current === expanded) return;
    scrolledTo.current = expanded;
    virtualizer.scrollToIndex(selIndex, { align: 'auto' });
  }, [expanded, selIndex, virtualizer]);

  useEffect(() => {
    if (!firstRenderMarked && items.length > 0) {
      firstRenderMarked = true;
      performance.mark('tenants-first-render');
    }
    // The whole list drawn (searchable, selectable): bench/ui.ts prints it beside the first render.
    if (!completeRenderMarked && complete && items.length > 0) {
      completeRenderMarked = true;
      performance.mark('tenants-complete-render');
    }
  }, [items.length, complete]);

  return (
    <section className="screen screen-fill" aria-labelledby="tenants-heading">
      <header className="screen-header">
        <h1 id="tenants-heading">Tenants</h1>
        <span className="muted" role="status" aria-live="polite">
          {complete
            ? `Showing ${formatCount(filtered.length)} of ${formatCount(rows.length)} tenants`
            : total !== null
              ? `Showing the first ${formatCount(filtered.length)} of ${formatCount(total)} tenants; loading the rest`
              : ''}
        </span>
        {query.isFetching || stale ? <Spinner label={stale ? 'Filtering' : 'Loading tenants'} /> : null}
        <span className="spacer" />
        <button
          type="button"
          onClick={() => selectKeys(filtered.map((r) => r.key))}
          disabled={!complete || filtered.length === 0}
        >
          Select all shown
        </button>
        <button type="button" onClick={clearSelection} disabled={selected.size === 0}>
          Clear selection
        </button>
        <button type="button" onClick={() => navigate({ screen: 'verify' })} disabled={selected.size === 0}>
          Verify selected ({formatCount(selected.size)})
        </button>
        <button type="button" onClick={refresh}>
          Refresh
        </button>
        <ExportReport />
      </header>
      <MoveInNotice />
      <TenantFilterBar />
      {query.error ? <ErrorMessage error={query.error} /> : null}
      {query.isSuccess && rows.length === 0 ? (
        <p>
          No tenants yet. <a href={routeHash({ screen: 'new-tenant' })}>Create one</a>.
        </p>
      ) : null}
      <div
        className="vtable"
        role="table"
        aria-label="Tenants"
        aria-rowcount={filtered.length + 1}
        aria-busy={stale || !complete}
      >
        <TenantTableHead sort={sort} />
        <div ref={scrollRef} className="vtable-body" role="rowgroup" data-testid="tenants-scroll">
          <div className="vtable-spacer" style={{ height: `${virtualizer.getTotalSize()}px` }}>
            {items.map((item) => {
              const row = filtered[item.index];
              if (!row) return null;
              return (
                <TenantRowView
                  key={item.key}
                  row={row}
                  index={item.index}
                  start={item.start}
                  expanded={expanded === row.key}
                  selected={selected.has(row.key)}
                  measure={virtualizer.measureElement}
                />
              );
            })}
          </div>
        </div>
      </div>
      {query.isSuccess && rows.length > 0 && filtered.length === 0 ? (
        <p className="muted">No tenant matches these filters.</p>
      ) : null}
    </section>
  );
}
