/**
 * The window's words for the team registry: an instance registry's health in a line, the read-only
 * banner's sentence, a record's who-and-when facts, a pending change. Pure (times are formatted by
 * the function handed in), so the wording is tested without a page.
 */
import type { RegistryStatus } from '../../../shared/contract/contract';
import type { PendingOp, TokenHolder } from '../../../shared/team/team';
import { operatorLabel } from '../../../shared/tenants/token-holder';

type Time = (iso: string) => string;

/** The health of one instance's registry, for the status table: "ok since …", "unreachable since … (why)". */
export function healthText(s: RegistryStatus, time: Time): string {
  const h = s.health;
  switch (h.state) {
    case 'ok':
      return `Writable (since ${time(h.since)})`;
    case 'unreachable':
      return `Unreachable since ${time(h.since)}: ${h.error}`;
    case 'read-only':
      return `Read-only since ${time(h.since)}: ${missingText(h.reason, h.missing)}`;
    default:
      return 'Not synced yet';
  }
}

// The service's reason names the missing privileges; said again only when it does not.
function missingText(reason: string, missing: readonly string[]): string {
  const unnamed = missing.filter((m) => !reason.includes(m));
  return unnamed.length === 0 ? reason : `${reason} (missing ${unnamed.join(', ')})`;
}

/**
 * The banner's sentence for an instance whose registry cannot take a change: which instance, since
 * when, why (the missing privilege named), when the shown record was last in sync, that changes are
 * refused.
 */
export function bannerText(s: RegistryStatus, instanceName: string, time: Time): string {
  const h = s.health;
  const what =
    h.state === 'unreachable'
      ? `unreachable since ${time(h.since)} (${h.error})`
      : h.state === 'read-only'
        ? `read-only since ${time(h.since)}: ${missingText(h.reason, h.missing)}`
        : 'not answering';
  const shown = s.syncedAt
    ? `Its tenants are shown as last in sync at ${time(s.syncedAt)}, read-only.`
    : 'No sync with it has completed yet: its tenants are shown as far as this console knows them, read-only.';
  return `${instanceName} (${s.scope}): the team registry is ${what}. ${shown} Changes to its tenants are refused until it takes them again; nothing is queued.`;
}

/** "Bob Beta (bob@example.com) on ws-2, 2026-12-07 10:00:00". */
export function byLine(
  who: { name: string; email?: string | undefined; workstation: string },
  at: string | undefined,
  time: Time,
): string {
  return `${operatorLabel(who)}${at ? `, ${time(at)}` : ''}`;
}

/** Who holds the token, from this console's point of view (`here`: this console's keychain). */
export function holderText(holder: TokenHolder | null | undefined, here: boolean, time: Time): string {
  if (here) return `You hold the token (in this console’s keychain)${holder ? ` since ${time(holder.since)}` : ''}`;
  return holder ? `${operatorLabel(holder)}, since ${time(holder.since)}` : 'Nobody';
}

/** A change under way (or left by an interrupted console) on the record. */
export function pendingText(p: PendingOp, time: Time): string {
  const base = `A ${p.op} by ${operatorLabel(p.by)} since ${time(p.startedAt)} (last step: ${p.step})`;
  return p.endedAt
    ? `${base}, interrupted at ${time(p.endedAt)}: Run repair finishes or undoes it`
    : `${base}, under way`;
}
