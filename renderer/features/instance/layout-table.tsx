/** The layout room and growth stand on: shard settings, replicas, and each partitioned type's period. */
import type { InstanceLayout } from '../../../shared/capacity/capacity-layout';
import { DataTable, type DataColumn } from '../../components/data-table';
import { formatCount, plural } from '../../lib/format';

const COLUMNS: DataColumn[] = [
  'Type',
  'Period',
  'Source',
  'Default (setting)',
  { label: 'Partitions seen', className: 'num' },
];

export function LayoutTable({ layout }: { layout: InstanceLayout }) {
  const fig = (f: { value: number; basis: string }) => `${formatCount(f.value)} (${f.basis})`;
  return (
    <>
      <p>
        Read from {plural(layout.tenants, `${layout.version} tenant`)}: ELASTIC_INDEX_SHARDS {fig(layout.indexShards)},
        ELASTIC_CONF_INDEX_SHARDS {fig(layout.confShards)}, replicas {fig(layout.replicas)}.
      </p>
      <DataTable caption="Partition period of each time-partitioned type" columns={COLUMNS} scroll>
        {layout.partitions.map((p) => (
          <tr key={p.type}>
            <th scope="row">{p.type}</th>
            <td>{p.period === 'day' ? 'day or finer' : p.period}</td>
            <td>{p.basis === 'measured' ? (p.mixed ? 'measured (mixed: finest taken)' : 'measured') : 'assumed'}</td>
            <td>
              {p.defaultPeriod} ({p.env})
            </td>
            <td className="num">{formatCount(p.partitions)}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
