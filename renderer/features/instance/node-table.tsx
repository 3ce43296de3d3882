/** The nodes of an instance's cluster: disk bars marked at the effective watermarks, heap bars. */
import type { NodeCapacity } from '../../../shared/capacity';
import { Meter } from '../../components/meter';
import { formatBytes, formatPercent, ratio } from '../../lib/format';
import { watermarkMarkers } from '../fleet';

export function NodeTable({ nodes }: { nodes: NodeCapacity[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table node-table">
        <caption className="visually-hidden">Nodes</caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Roles</th>
            <th scope="col">Disk</th>
            <th scope="col">Watermarks (low / high / flood)</th>
            <th scope="col">Heap</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => {
            const disk = ratio(n.diskUsedBytes, n.diskTotalBytes);
            const heap = ratio(n.heapUsedBytes, n.heapMaxBytes);
            return (
              <tr key={n.id}>
                <th scope="row">
                  {n.name}
                  {n.isData ? null : <span className="muted"> (not a data node)</span>}
                </th>
                <td>{n.roles.join(', ') || '—'}</td>
                <td className="meter-cell">
                  <Meter
                    label={`Disk on ${n.name}`}
                    value={disk}
                    text={`${formatBytes(n.diskUsedBytes)} of ${formatBytes(n.diskTotalBytes)} (${formatPercent(disk)})`}
                    markers={watermarkMarkers(n)}
                  />
                </td>
                <td>
                  {formatBytes(n.watermarks.lowUsedBytes)} / {formatBytes(n.watermarks.highUsedBytes)} /{' '}
                  {formatBytes(n.watermarks.floodUsedBytes)}
                </td>
                <td className="meter-cell">
                  <Meter
                    label={`Heap on ${n.name}`}
                    value={heap}
                    text={`${formatBytes(n.heapUsedBytes)} of ${formatBytes(n.heapMaxBytes)} (${formatPercent(heap)})`}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
