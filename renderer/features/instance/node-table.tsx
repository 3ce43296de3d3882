/** The nodes of an instance's cluster: disk bars marked at the effective watermarks, heap bars. */
import type { NodeCapacity } from '../../../shared/capacity/capacity';
import { DataTable } from '../../components/data-table';
import { Meter } from '../../components/meter';
import { formatBytes, formatPercent, ratio } from '../../lib/format';
import { watermarkMarkers } from '../fleet';

export function NodeTable({ nodes }: { nodes: NodeCapacity[] }) {
  return (
    <DataTable
      caption="Nodes"
      columns={['Node', 'Roles', 'Disk', 'Watermarks (low / high / flood)', 'Heap']}
      className="node-table"
      scroll
    >
      {nodes.map((n) => {
        const disk = ratio(n.diskUsedBytes, n.diskTotalBytes);
        const heap = ratio(n.heapUsedBytes, n.heapMaxBytes);
        return (
          <tr key={n.id}>
            <th scope="row">
              {n.name}
              {n.isData ? null : <span className="muted"> (not a data node)</span>}
            </th>
            <td className="roles-cell">{n.roles.join(', ') || '—'}</td>
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
    </DataTable>
  );
}
