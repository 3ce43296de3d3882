/** What the fleet card and the instance screen both show of a snapshot: shards, room, its age. */
import type { CapacitySnapshot } from '../../../shared/capacity/capacity';
import { Meter } from '../../components/meter';
import { formatAgo, formatCount, formatTime, ratio } from '../../lib/format';
import { roomText } from './snapshot-summary';

/** The open shards against the limit (and the limit per node, where asked), then the room left. */
export function ShardsAndRoom({ snapshot, perNode = false }: { snapshot: CapacitySnapshot; perNode?: boolean }) {
  const { open, limit, limitPerNode } = snapshot.shards;
  return (
    <>
      <Meter
        label="Shards"
        value={ratio(open, limit)}
        text={`${formatCount(open)} of ${formatCount(limit)} shards${perNode ? ` (${formatCount(limitPerNode)} per node)` : ''}`}
      />
      <p className={`room${snapshot.room.room <= 0 ? ' room-none' : ''}`}>{roomText(snapshot)}</p>
    </>
  );
}

/** "Snapshot 3 minutes ago", the exact time on hover. */
export function SnapshotTaken({ snapshot, now }: { snapshot: CapacitySnapshot; now: number }) {
  return (
    <>
      Snapshot{' '}
      <time dateTime={snapshot.takenAt} title={formatTime(snapshot.takenAt)}>
        {formatAgo(snapshot.takenAt, now)}
      </time>
    </>
  );
}
