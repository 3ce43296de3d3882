/** A tenant's record state or verification status as a coloured badge with its name in words. */
import type { Tone } from './tone';

const TONE: Record<string, Tone> = {
  installed: 'ok',
  registered: 'info',
  'handed-over': 'info',
  partial: 'warn',
  drift: 'danger',
  misrouted: 'danger',
  'wrong-instance': 'danger',
  unreachable: 'warn',
  expired: 'warn',
  'unknown-to-instance': 'danger',
  revoked: 'muted',
  never: 'muted',
};

/** What a verification status means, shown as the badge's tooltip (docs/verification.md). */
const EXPLAIN: Record<string, string> = {
  'wrong-instance':
    "Another Tracardi answers on this instance's API URL (a wrong DNS record or load-balancer pool): what it says is not about this tenant.",
  misrouted: "A tenant domain resolves to an address that is not this instance's.",
  drift: 'Was installed, but artefacts are missing or Tracardi no longer reports it installed.',
  unreachable: 'Could not tell: no usable answer from DNS, Tracardi or Elasticsearch.',
  'unknown-to-instance': 'The instance does not accept this tenant (or, single-tenant, serves another one).',
};

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const title = EXPLAIN[status];
  return (
    <span className={`status-badge tone-${TONE[status] ?? 'muted'}`} {...(title ? { title } : {})}>
      {label ?? status}
    </span>
  );
}
