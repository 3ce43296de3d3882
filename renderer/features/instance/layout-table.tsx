/** The layout room and growth stand on: shard settings, replicas, and each partitioned type's period. */
import type { InstanceLayout } from '../../../shared/capacity-layout';

export function LayoutTable({ layout }: { layout: InstanceLayout }) {
  const fig = (f: { value: number; basis: string }) => `${f.value} (${f.basis})`;
  return (
    <>
      <p>
        Read from {layout.tenants} {layout.version} tenant{layout.tenants === 1 ? '' : 's'}: ELASTIC_INDEX_SHARDS{' '}
        {fig(layout.indexShards)}, ELASTIC_CONF_INDEX_SHARDS {fig(layout.confShards)}, replicas {fig(layout.replicas)}.
      </p>
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">Partition period of each time-partitioned type</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Period</th>
              <th scope="col">Source</th>
              <th scope="col">Default (setting)</th>
              <th scope="col" className="num">
                Partitions seen
              </th>
            </tr>
          </thead>
          <tbody>
            {layout.partitions.map((p) => (
              <tr key={p.type}>
                <th scope="row">{p.type}</th>
                <td>{p.period === 'day' ? 'day or finer' : p.period}</td>
                <td>
                  {p.basis === 'measured' ? (p.mixed ? 'measured (mixed: finest taken)' : 'measured') : 'assumed'}
                </td>
                <td>
                  {p.defaultPeriod} ({p.env})
                </td>
                <td className="num">{p.partitions}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
