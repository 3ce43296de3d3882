/**
 * The tenant name Tracardi derives from an API domain (tracardi-contract.md, section 1), computed
 * the way the documentation states it (keep [a-z0-9] of the lower-cased first label), with a warning
 * where the letters-only rule of the last public code would disagree.
 */

import { confusableWarnings, type ConfusableWarningCode } from '../text/confusables';

export type DeriveErrorCode =
  'empty' | 'invalid' | 'ip-address' | 'default-tenant' | 'too-few-labels' | 'too-short' | 'all-digits' | 'too-long';

export interface DeriveWarning {
  code: 'letters-only-differs' | ConfusableWarningCode;
  message: string;
  /** letters-only-differs: what a letters-only Tracardi (`re.sub('[^a-z]', '', label)`) calls the tenant; null when it refuses it. */
  lettersOnlyTenant?: string | null;
  /** Look-alike warnings: the label in Unicode and punycode, and the Latin text it passes for. */
  unicodeLabel?: string;
  punycodeLabel?: string;
  looksLike?: string | null;
}

export type DeriveResult =
  | { ok: true; tenant: string; asciiHost: string; warnings: DeriveWarning[] }
  | { ok: false; error: { code: DeriveErrorCode; message: string }; asciiHost?: string };

/** Tracardi 0.9 keeps tenant names in VARCHAR(40) MySQL columns. */
export const MAX_TENANT_LENGTH = 40;
export const MIN_TENANT_LENGTH = 3;

// Hosts Tracardi maps to the instance's default tenant instead of deriving one.
const DEFAULT_TENANT_HOSTS = new Set(['localhost', '0.0.0.0', '127.0.0.1']);

const SCHEME_RE = /^[a-z][a-z0-9+.-]*:\/\//i;
const IPV6_RE = /^[0-9a-f:.]+(%[0-9a-z._~-]+)?$/i;
const LABEL_CHARS_RE = /^[a-z0-9-]+$/;

type Failure = Extract<DeriveResult, { ok: false }>;

function fail(code: DeriveErrorCode, message: string, asciiHost?: string): Failure {
  return asciiHost === undefined
    ? { ok: false, error: { code, message } }
    : { ok: false, error: { code, message }, asciiHost };
}

/** Quote text for a one-line message: control and line-separator characters escaped, long text cut. */
function q(text: string): string {
  const escaped = text.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped.length > 80 ? `${escaped.slice(0, 77)}...` : escaped}"`;
}

/**
 * WHATWG reads a host whose last label is a number as IPv4 (`10.1`, `0x7f.1` included).
 * Returns the address as a number, or null when the host is not a valid IPv4 literal.
 */
function parseIpv4(labels: string[]): number | null {
  if (labels.length > 4) return null;
  const parts: number[] = [];
  for (const l of labels) {
    let n: number;
    if (/^0x[0-9a-f]*$/.test(l)) n = l.length === 2 ? 0 : parseInt(l.slice(2), 16);
    else if (/^0[0-7]+$/.test(l)) n = parseInt(l.slice(1), 8);
    else if (/^(0|[1-9][0-9]*)$/.test(l)) n = Number(l);
    else return null;
    if (!Number.isFinite(n)) return null;
    parts.push(n);
  }
  const last = parts.pop() as number;
  if (parts.some((p) => p > 255) || last >= 256 ** (4 - parts.length)) return null;
  return parts.reduce((acc, p, i) => acc + p * 256 ** (3 - i), 0) + last;
}

function endsInNumber(labels: string[]): boolean {
  const last = labels[labels.length - 1] ?? '';
  return /^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/.test(last);
}

/** Turn (possibly international) host text into its ASCII form through the WHATWG URL parser. */
function toAscii(host: string): string | null {
  try {
    return new URL(`http://${host}/`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** The tenant name Tracardi derives from an API URL or bare host, or why it derives none. */
export function deriveTenantName(input: string): DeriveResult {
  const text = (typeof input === 'string' ? input : '').trim();
  if (text === '')
    return fail(
      'empty',
      'Enter a tenant API domain or URL, e.g. company-x.instance1.example.com (the input is empty).',
    );

  // Authority = after the scheme (any, or none) up to the path, query or fragment; user-info ends
  // at the LAST '@', as in the WHATWG parser. Nothing before that '@' is ever quoted back.
  const afterScheme = text.replace(SCHEME_RE, '').replace(/^\/\//, '');
  const authorityEnd = afterScheme.search(/[/?#]/);
  const authority = authorityEnd === -1 ? afterScheme : afterScheme.slice(0, authorityEnd);
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (/[:@]/.test(authority) && authorityEnd !== -1 && afterScheme.slice(authorityEnd).includes('@')) {
    // `user:pa/ss@host` or `user:p@ss/word@host`: a raw '/', '?' or '#' in a password ends the
    // authority early, and what looks like the host or port is a piece of the password. The later
    // '@' gives it away; refuse without quoting anything.
    return fail(
      'invalid',
      'The input has user-info (user:password@) that cannot be told apart from the host: enter the domain alone.',
    );
  }
  if (hostPort === '')
    return fail('empty', 'The input has no host: enter a tenant API domain like company-x.instance1.example.com.');

  let rawHost: string;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    const inside = close === -1 ? '' : hostPort.slice(1, close);
    const rest = close === -1 ? '' : hostPort.slice(close + 1);
    if (close === -1 || !inside.includes(':') || !IPV6_RE.test(inside) || !/^(:[0-9]*)?$/.test(rest)) {
      return fail(
        'invalid',
        `Host ${q(close === -1 ? (hostPort.split(':')[0] ?? '') : hostPort.slice(0, close + 1))} is not a valid domain or IPv6 address.`,
      );
    }
    const ip = `[${inside.toLowerCase()}]`;
    return fail(
      'ip-address',
      `Host ${q(ip)} is an IP address; a tenant needs a domain name like company-x.instance1.example.com.`,
      ip,
    );
  }
  const colons = hostPort.split(':').length - 1;
  if (colons > 1) {
    if (IPV6_RE.test(hostPort)) {
      const ip = `[${hostPort.toLowerCase()}]`;
      return fail(
        'ip-address',
        `Host ${q(ip)} is an IP address; a tenant needs a domain name like company-x.instance1.example.com.`,
        ip,
      );
    }
    // Quote only the part before the first ':'; what follows may be a mistyped password.
    return fail(
      'invalid',
      `Host ${q((hostPort.split(':')[0] ?? '').toLowerCase())} is followed by more than one ':'; give a domain with at most one :port.`,
    );
  }
  if (colons === 1) {
    const [h, port] = hostPort.split(':') as [string, string];
    if (!/^[0-9]{0,5}$/.test(port) || Number(port) > 65535) {
      return fail('invalid', `Host ${q(h.toLowerCase())} has a port that is not a number from 0 to 65535.`);
    }
    rawHost = h;
  } else {
    rawHost = hostPort;
  }

  // DNS names are case-insensitive and clients send them lower-cased; a trailing dot is the root.
  let host = rawHost.toLowerCase().replace(/\.+$/, '');
  if (host === '')
    return fail('invalid', `Host ${q(rawHost)} has no labels: enter a domain like company-x.instance1.example.com.`);
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(host))
    return fail('invalid', `Host ${q(host)} contains a space or control character; a domain has no spaces.`);
  const badAscii = /[\u0000-\u007f]/.test(host)
    ? [...host].find((c) => c.charCodeAt(0) < 0x80 && !/[a-z0-9.-]/.test(c))
    : undefined;
  if (badAscii !== undefined) {
    return fail(
      'invalid',
      `Host ${q(host)} contains ${q(badAscii)}; a domain has letters, digits, hyphens and dots only.`,
    );
  }

  // International names reach Tracardi in punycode; xn-- labels are checked by the same parser.
  if (/[^\u0000-\u007f]/.test(host) || /(^|\.)xn--/.test(host)) {
    const ascii = toAscii(host);
    if (ascii === null) return fail('invalid', `Host ${q(host)} is not a valid international domain name.`);
    const unicodeHost = host;
    host = ascii.replace(/\.+$/, '');
    if (!/^[a-z0-9.-]*$/.test(host) || host === '') {
      return fail('invalid', `Host ${q(unicodeHost)} does not convert to a valid ASCII domain name.`);
    }
  }

  const labels = host.split('.');
  if (DEFAULT_TENANT_HOSTS.has(host) || (endsInNumber(labels) && [0, 0x7f000001].includes(parseIpv4(labels) ?? -1))) {
    return fail('default-tenant', `Host ${q(host)} maps to the instance's default tenant, not a tenant domain.`, host);
  }
  if (labels.some((l) => l === ''))
    return fail('invalid', `Host ${q(host)} has an empty label (two dots in a row or a leading dot).`);
  if (endsInNumber(labels)) {
    if (parseIpv4(labels) !== null) {
      return fail(
        'ip-address',
        `Host ${q(host)} is an IP address; a tenant needs a domain name like company-x.instance1.example.com.`,
        host,
      );
    }
    return fail('invalid', `Host ${q(host)} ends in a numeric label, which browsers read as a malformed IPv4 address.`);
  }
  const longLabel = labels.find((l) => l.length > 63);
  if (longLabel !== undefined)
    return fail('invalid', `Host ${q(host)} has a label of ${longLabel.length} characters; DNS allows at most 63.`);
  if (host.length > 253)
    return fail('invalid', `Host ${q(host)} is ${host.length} characters long; DNS allows at most 253.`);
  const hyphened = labels.find((l) => !LABEL_CHARS_RE.test(l) || l.startsWith('-') || l.endsWith('-'));
  if (hyphened !== undefined)
    return fail('invalid', `Host ${q(host)} has the label ${q(hyphened)}, which starts or ends with a hyphen.`);

  if (labels.length < 3) {
    return fail(
      'too-few-labels',
      `Host ${q(host)} has ${labels.length} label${labels.length === 1 ? '' : 's'}; Tracardi needs at least 3 (tenant.instance.domain) to find a tenant.`,
      host,
    );
  }

  const label = labels[0] as string;
  const tenant = label.replace(/[^a-z0-9]/g, '');
  if (tenant.length < MIN_TENANT_LENGTH) {
    return fail(
      'too-short',
      `Host ${q(host)} gives the tenant ${q(tenant)}; Tracardi refuses tenant names shorter than ${MIN_TENANT_LENGTH} characters.`,
      host,
    );
  }
  if (/^[0-9]+$/.test(tenant)) {
    return fail(
      'all-digits',
      `Host ${q(host)} gives the tenant ${q(tenant)}; Tracardi refuses tenant names made only of digits.`,
      host,
    );
  }
  if (tenant.length > MAX_TENANT_LENGTH) {
    return fail(
      'too-long',
      `Host ${q(host)} gives a ${tenant.length}-character tenant; Tracardi 0.9 keeps tenant names in ${MAX_TENANT_LENGTH}-character columns: shorten the first label.`,
      host,
    );
  }

  // Look-alike letters first: the most important thing to notice about an international name.
  const warnings: DeriveWarning[] = [...confusableWarnings(host)];
  if (/[0-9]/.test(label)) {
    const lettersOnly = label.replace(/[^a-z]/g, '');
    const lettersOnlyTenant = lettersOnly.length >= MIN_TENANT_LENGTH ? lettersOnly : null;
    warnings.push({
      code: 'letters-only-differs',
      lettersOnlyTenant,
      message:
        lettersOnlyTenant === null
          ? `The tenant ${q(tenant)} contains digits: a Tracardi running the letters-only rule would refuse this domain.`
          : `The tenant ${q(tenant)} contains digits: a Tracardi running the letters-only rule would call it ${q(lettersOnlyTenant)}.`,
    });
  }
  return { ok: true, tenant, asciiHost: host, warnings };
}

/** A bare label becomes `<label>.<suffix>`; anything that already names a host (a dot, port or URL) is kept. */
export function completeTenantDomain(labelOrDomain: string, suffix: string): string {
  const value = labelOrDomain.trim();
  if (value === '' || /[.:/@[\]]/.test(value.replace(/\.+$/, ''))) return value;
  const cleanSuffix = suffix
    .trim()
    .toLowerCase()
    .replace(/^\.+|\.+$/g, '');
  return `${value.replace(/\.+$/, '')}.${cleanSuffix}`;
}
