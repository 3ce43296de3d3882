/** The tenants on one instance with their Elasticsearch footprint, sortable by every column. */
import { useMemo, useState } from 'react';
import type { TenantFootprint } from '../../../shared/capacity/capacity';
import { DataTable } from '../../components/data-table';
import { SortableHeader, sortRows, type SortState } from '../../components/sortable-header';
import { formatBytes, formatCount } from '../../lib/format';

type Column = 'tenant' | 'version' | 'indices' | 'primaryShards' | 'totalShards' | 'docs' | 'storeBytes';

const COLUMNS: { key: Column; label: string; numeric: boolean }[] = [
  { key: 'tenant', label: 'Tenant', numeric: false },
  { key: 'version', label: 'Version', numeric: false },
  { key: 'indices', label: 'Indices', numeric: true },
  { key: 'primaryShards', label: 'Primary shards', numeric: true },
  { key: 'totalShards', label: 'Total shards', numeric: true },
  { key: 'docs', label: 'Documents', numeric: true },
  { key: 'storeBytes', label: 'Size', numeric: true },
];

export function TenantFootprintTable({ tenants, instanceName }: { tenants: TenantFootprint[]; instanceName: string }) {
  const [sort, setSort] = useState<SortState<Column>>({ key: 'tenant', dir: 'asc' });
  const rows = useMemo(() => sortRows(tenants, sort, (t, k) => t[k]), [tenants, sort]);
  if (tenants.length === 0) return <p className="muted">No tenant indices on this instance.</p>;
  return (
    <DataTable
      caption={`Tenants on ${instanceName} and their footprint`}
      scroll
      head={COLUMNS.map((c) => (
        <SortableHeader key={c.key} label={c.label} column={c.key} sort={sort} onSort={setSort} numeric={c.numeric} />
      ))}
    >
      {rows.map((t) => (
        <tr key={t.tenant}>
          <th scope="row">{t.tenant}</th>
          <td>{t.version}</td>
          <td className="num">{formatCount(t.indices)}</td>
          <td className="num">{formatCount(t.primaryShards)}</td>
          <td className="num">{formatCount(t.totalShards)}</td>
          <td className="num">{formatCount(t.docs)}</td>
          <td className="num">{formatBytes(t.storeBytes)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
