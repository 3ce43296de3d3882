/**
 * Where an audit entry lives: its place in the instance's team trail, or, marked, only in this
 * workstation's log (the team registry was unreachable when it was written); console-level entries
 * (no instance) belong to no team trail.
 */
import type { AuditEntry } from '../../../shared/contract/contract';
import './team.css';

export function TrailCell({ entry }: { entry: AuditEntry }) {
  if (typeof entry.team === 'number') return <span>#{entry.team}</span>;
  if (entry.team === null)
    return (
      <span
        className="trail-local"
        title="The team registry was unreachable when this was written: only this workstation's log has it."
      >
        not in the team trail (this workstation only)
      </span>
    );
  return <span className="muted">{entry.instanceId ? 'this workstation only' : 'console (no instance)'}</span>;
}
