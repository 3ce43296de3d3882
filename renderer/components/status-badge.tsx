/** A tenant's record state or verification status as a coloured badge with its name in words. */

const TONE: Record<string, 'ok' | 'info' | 'warn' | 'danger' | 'muted'> = {
  installed: 'ok',
  registered: 'info',
  'handed-over': 'info',
  partial: 'warn',
  drift: 'danger',
  misrouted: 'danger',
  unreachable: 'warn',
  expired: 'warn',
  'unknown-to-instance': 'danger',
  revoked: 'muted',
  never: 'muted',
};

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return <span className={`status-badge tone-${TONE[status] ?? 'muted'}`}>{label ?? status}</span>;
}
