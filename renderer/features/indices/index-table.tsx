/** The indices of a listing: name, health, status, documents, size, shards; every column sorts. */
import { useState } from 'react';
import type { IndexRow } from '../../../shared/instances/index-listing';
import { DataTable } from '../../components/data-table';
import { SortableHeader, sortRows, type SortState } from '../../components/sortable-header';
import { healthClass } from '../../components/tone';
import { formatBytes, formatCount } from '../../lib/format';

type Column = 'name' | 'health' | 'status' | 'docs' | 'size' | 'primaries' | 'replicas';

const HEADINGS: readonly [Column, string, boolean][] = [
  ['name', 'Index', false],
  ['health', 'Health', false],
  ['status', 'Status', false],
  ['docs', 'Documents', true],
  ['size', 'Size', true],
  ['primaries', 'Primary shards', true],
  ['replicas', 'Replicas', true],
];

function value(row: IndexRow, column: Column): string | number {
  switch (column) {
    case 'name':
      return row.name;
    case 'health':
      return row.health ?? '';
    case 'status':
      return row.status ?? '';
    case 'docs':
      return row.docs ?? -1;
    case 'size':
      return row.sizeBytes ?? -1;
    case 'primaries':
      return row.primaries ?? -1;
    case 'replicas':
      return row.replicas ?? -1;
  }
}

export function IndexTable({ rows, label }: { rows: readonly IndexRow[]; label: string }) {
  const [sort, setSort] = useState<SortState<Column>>({ key: 'name', dir: 'asc' });
  const sorted = sortRows(rows, sort, value);
  return (
    <DataTable
      caption={label}
      scroll="panel"
      testId="index-table"
      head={HEADINGS.map(([column, heading, numeric]) => (
        <SortableHeader key={column} label={heading} column={column} sort={sort} onSort={setSort} numeric={numeric} />
      ))}
    >
      {sorted.map((r) => (
        <tr key={r.name} data-index={r.name}>
          <th scope="row" className="index-name">
            {r.name}
          </th>
          <td>{r.health ? <span className={healthClass(r.health)}>{r.health}</span> : '—'}</td>
          <td>{r.status ?? '—'}</td>
          <td className="num">{formatCount(r.docs)}</td>
          <td className="num">{formatBytes(r.sizeBytes)}</td>
          <td className="num">{formatCount(r.primaries)}</td>
          <td className="num">{formatCount(r.replicas)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
