/**
 * How long and what shape the things operators type may be, in one place for every shell: the
 * contract's zod schemas (browser shell, Electron IPC; safe-text.ts wraps these checks) and the
 * services the CLI calls use the same functions, so a value refused in one shell is refused in all.
 * Pure and zod-free (the CLI's stdin reader loads it). docs/security.md, "Refusals".
 */
import { checkSafeText, escapeForTerminal } from './text-safety';

/** RFC 5321 4.5.3.1.3: a path is at most 256 octets with its angle brackets, so an address 254. */
export const MAX_EMAIL_LENGTH = 254;
/** RFC 5321 4.5.3.1.1: the part before the @. */
export const MAX_EMAIL_LOCAL_PART = 64;
/** RFC 1035 2.3.4: a label of a domain name. */
export const MAX_DNS_LABEL = 63;
/** RFC 1035 2.3.4: 255 octets on the wire, so 253 characters written out without the root dot. */
export const MAX_DNS_NAME = 253;
/**
 * An installation token: the console makes 43 characters; an adopted tenant's (or a single-tenant
 * instance's INSTALLATION_TOKEN) is the operator's, so room is left, but not for a pasted file.
 */
export const MAX_TOKEN_LENGTH = 500;
/** Any other secret: an Elasticsearch password or API key, a TMS API key. */
export const MAX_SECRET_LENGTH = 4096;

// zod 4's z.email() pattern, which the contract used before: every shell accepts what it accepted.
const EMAIL_RE =
  /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;

/** Text quoted back in a message: escaped for a terminal, cut to 60 characters. */
export function quoteInput(text: string): string {
  const shown = escapeForTerminal(text);
  return `"${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}"`;
}

/** Why `host` (ASCII, no trailing dot) is too long for DNS, or null: labels of 63, names of 253. */
export function dnsLengthProblem(host: string, what: string): string | null {
  const long = host.split('.').find((l) => l.length > MAX_DNS_LABEL);
  if (long !== undefined)
    return `${what} ${quoteInput(host)} has a label of ${long.length} characters; DNS allows at most ${MAX_DNS_LABEL}.`;
  if (host.length > MAX_DNS_NAME)
    return `${what} ${quoteInput(host)} is ${host.length} characters long; DNS allows at most ${MAX_DNS_NAME}.`;
  return null;
}

/**
 * Why a contact e-mail (already trimmed) is refused, or null: control characters, over 254
 * characters or 64 before the @ (RFC 5321), a domain label over 63, not an address at all. Empty is
 * refused only when `required` (create needs one; adopt does not).
 */
export function contactEmailProblem(email: string, required: boolean): string | null {
  if (email === '') return required ? 'A valid contact e-mail is required.' : null;
  const unsafe = checkSafeText('The contact e-mail', email);
  if (unsafe) return `${unsafe}.`;
  if (email.length > MAX_EMAIL_LENGTH)
    return `The contact e-mail is ${email.length} characters long; an e-mail address has at most ${MAX_EMAIL_LENGTH} (RFC 5321).`;
  const at = email.lastIndexOf('@');
  if (at > MAX_EMAIL_LOCAL_PART)
    return `The contact e-mail has ${at} characters before the @; an e-mail address has at most ${MAX_EMAIL_LOCAL_PART} there (RFC 5321).`;
  if (!EMAIL_RE.test(email)) return `${quoteInput(email)} is not a valid e-mail address.`;
  return dnsLengthProblem(email.slice(at + 1), 'The contact e-mail domain');
}

/** Why an installation token is refused, or null: empty, or over MAX_TOKEN_LENGTH characters. */
export function tokenProblem(token: string): string | null {
  if (token.length === 0) return 'The installation token is empty; leave it out instead.';
  if (token.length > MAX_TOKEN_LENGTH)
    return `The installation token is ${token.length} characters long; a token has at most ${MAX_TOKEN_LENGTH}.`;
  return null;
}

/** Why another secret (`what`: "the TMS API key") is refused, or null: over MAX_SECRET_LENGTH characters. */
export function secretLengthProblem(what: string, secret: string): string | null {
  return secret.length > MAX_SECRET_LENGTH
    ? `${what.charAt(0).toUpperCase()}${what.slice(1)} is ${secret.length} characters long; a secret has at most ${MAX_SECRET_LENGTH}.`
    : null;
}

/** A capacity override reason is recorded and audited: one line of prose, not a document. */
export const MAX_OVERRIDE_REASON = 500;

/** Why a capacity override reason (already trimmed) is refused, or null (its minimum length is the service's). */
export function overrideReasonProblem(reason: string): string | null {
  const unsafe = checkSafeText('The capacity override reason', reason);
  if (unsafe) return `${unsafe}.`;
  if (reason.length > MAX_OVERRIDE_REASON)
    return `The capacity override reason is ${reason.length} characters long; write at most ${MAX_OVERRIDE_REASON}.`;
  return null;
}

/** Longest URL an instance field takes (browsers and proxies commonly stop at 2 KB). */
export const MAX_URL_LENGTH = 2048;
/** Longest GUI URL pattern, expected address, Elasticsearch user name and CA file path. */
export const MAX_PATTERN_LENGTH = 300;
export const MAX_ADDRESS_LENGTH = 64;
export const MAX_ADDRESSES = 100;
export const MAX_USERNAME_LENGTH = 256;
export const MAX_PATH_LENGTH = 4096;

/** The instance fields the rules below read (a type only: no schema is loaded). */
export interface InstanceInputFields {
  apiUrl: string;
  tmsUrl?: string | undefined;
  guiUrlPattern: string;
  tenantDomainSuffix: string;
  referenceHost?: string | undefined;
  expectedAddresses: string[];
  es: { nodes: string[]; auth: { type: string; username?: string }; tls: { caFile?: string | undefined } };
}

function urlProblem(what: string, value: string): string | null {
  if (value.length > MAX_URL_LENGTH)
    return `${what} is ${value.length} characters long; a URL here has at most ${MAX_URL_LENGTH}.`;
  let host: string;
  try {
    host = new URL(value).hostname;
  } catch {
    return null; // the schema says what is wrong with it
  }
  return host.startsWith('[') ? null : dnsLengthProblem(host.replace(/\.+$/, ''), `The host of ${what}`);
}

/**
 * Length rules for an instance as an operator adds or changes it, beyond the settings schema (which
 * a file written by an older console must still pass): DNS lengths of every host and the suffix,
 * a GUI URL pattern that gives an http(s) URL, and bounds on every free-text field. `before`: the
 * stored instance on an update; a field it already held as is is not refused again.
 */
export function instanceInputProblem(next: InstanceInputFields, before?: InstanceInputFields): string | null {
  const changed = <T>(pick: (i: InstanceInputFields) => T): boolean =>
    before === undefined || JSON.stringify(pick(before)) !== JSON.stringify(pick(next));
  const problems: (() => string | null)[] = [];
  if (changed((i) => i.apiUrl)) problems.push(() => urlProblem('the Tracardi API URL', next.apiUrl));
  if (changed((i) => i.tmsUrl) && next.tmsUrl !== undefined)
    problems.push(() => urlProblem('the TMS URL', next.tmsUrl!));
  if (changed((i) => i.es.nodes))
    for (const node of next.es.nodes) problems.push(() => urlProblem('an Elasticsearch node URL', node));
  if (changed((i) => i.tenantDomainSuffix))
    problems.push(() => dnsLengthProblem(next.tenantDomainSuffix, 'The tenant domain suffix'));
  if (changed((i) => i.guiUrlPattern)) problems.push(() => guiPatternProblem(next.guiUrlPattern));
  if (changed((i) => i.referenceHost) && next.referenceHost !== undefined)
    problems.push(() => dnsLengthProblem(next.referenceHost!.replace(/\.+$/, ''), 'The reference host'));
  if (changed((i) => i.expectedAddresses))
    problems.push(() =>
      next.expectedAddresses.length > MAX_ADDRESSES
        ? `${next.expectedAddresses.length} expected addresses are given; at most ${MAX_ADDRESSES} are kept.`
        : next.expectedAddresses.some((a) => a.length > MAX_ADDRESS_LENGTH)
          ? `An expected address is longer than ${MAX_ADDRESS_LENGTH} characters; give IP addresses.`
          : null,
    );
  if (changed((i) => i.es.auth.username) && (next.es.auth.username?.length ?? 0) > MAX_USERNAME_LENGTH)
    problems.push(() => `The Elasticsearch username is longer than ${MAX_USERNAME_LENGTH} characters.`);
  if (changed((i) => i.es.tls.caFile) && (next.es.tls.caFile?.length ?? 0) > MAX_PATH_LENGTH)
    problems.push(() => `The CA file path is longer than ${MAX_PATH_LENGTH} characters.`);
  for (const problem of problems) {
    const found = problem();
    if (found !== null) return found;
  }
  return null;
}

/** A GUI URL pattern must give an http(s) URL once its placeholders are filled. */
function guiPatternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return `The GUI URL pattern is ${pattern.length} characters long; write at most ${MAX_PATTERN_LENGTH}.`;
  const filled = pattern.replace(/\{(label|tenant|suffix)\}/g, 'x');
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(filled) ? filled : `https://${filled}`);
    if (u.protocol === 'http:' || u.protocol === 'https:') return null;
  } catch {
    // refused below
  }
  return `The GUI URL pattern ${quoteInput(pattern)} does not give an http:// or https:// URL (e.g. https://{label}-gui.{suffix}).`;
}
