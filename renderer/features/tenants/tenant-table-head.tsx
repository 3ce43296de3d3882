/** The Tenants table's heading row: every column sorts (a button in its header, `aria-sort` on it). */
import { sortBy } from './tenants-store';
import type { SortColumn, TenantSort } from './tenants-view';

const HEADINGS: readonly [SortColumn, string][] = [
  ['tenant', 'Tenant'],
  ['instance', 'Instance'],
  ['domain', 'API domain'],
  ['state', 'State'],
  ['status', 'Verification'],
];

export function TenantTableHead({ sort }: { sort: TenantSort }) {
  return (
    <div role="rowgroup" className="vtable-head">
      <div role="row" className="trow trow-head" aria-rowindex={1}>
        <span role="columnheader" className="tcell tcell-select">
          <span className="visually-hidden">Selected</span>
        </span>
        {HEADINGS.map(([column, label]) => {
          const active = sort.column === column;
          return (
            <span
              key={column}
              role="columnheader"
              className="tcell"
              aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              <button type="button" className="sort-button" onClick={() => sortBy(column)}>
                {label}
                <span aria-hidden="true" className="sort-arrow">
                  {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
                </span>
              </button>
            </span>
          );
        })}
      </div>
    </div>
  );
}
