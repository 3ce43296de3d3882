/**
 * Look-alike domain labels (Unicode TR 39, "Unicode Security Mechanisms"), pure: a label that mixes
 * scripts (`аpple` with a Cyrillic `а`), or one written wholly in Cyrillic, Greek or Armenian
 * letters that all look Latin (`соре`), reads as a Latin name the operator knows while being another
 * domain, and another tenant (`xnpple43d`). Each gets a warning that shows the Unicode form beside
 * the punycode one.
 *
 * The mixed-script rule is TR 39's "highly restrictive" level: one script per label, except Latin
 * with the Japanese, Chinese or Korean sets. The whole-script rule uses the letters of TR 39's
 * confusables table that map to a single lower-case Latin letter.
 */

export type ConfusableWarningCode = 'mixed-script' | 'whole-script-confusable';

export interface ConfusableWarning {
  code: ConfusableWarningCode;
  message: string;
  /** The label as the operator sees it, and as DNS and Tracardi see it. */
  unicodeLabel: string;
  punycodeLabel: string;
  /** The Latin text the label passes for, when every letter has a Latin look-alike; else null. */
  looksLike: string | null;
}

/** Scripts told apart; a character of none of them counts as "another script". */
const SCRIPTS: [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Han', /\p{Script=Han}/u],
  ['Hiragana', /\p{Script=Hiragana}/u],
  ['Katakana', /\p{Script=Katakana}/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Bopomofo', /\p{Script=Bopomofo}/u],
];
/** Digits, hyphen, marks: they belong to every script (Common, Inherited). */
const NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}]/u;

/** TR 39 "highly restrictive": Latin may join these sets and still be one writing system. */
const ALLOWED_MIXES: readonly (readonly string[])[] = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
];

/** Letters of other scripts that TR 39's confusables table maps to one Latin letter (lower case). */
const LATIN_LOOKALIKE: Record<string, string> = {
  // Cyrillic
  а: 'a',
  е: 'e',
  ё: 'e',
  һ: 'h',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ӏ: 'l',
  о: 'o',
  ӧ: 'o',
  р: 'p',
  ԛ: 'q',
  с: 'c',
  ѕ: 's',
  у: 'y',
  ү: 'y',
  ԝ: 'w',
  х: 'x',
  ԁ: 'd',
  // Greek
  α: 'a',
  γ: 'y',
  ι: 'i',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  υ: 'u',
  χ: 'x',
  // Armenian
  ա: 'w',
  գ: 'q',
  զ: 'q',
  հ: 'h',
  ո: 'n',
  ս: 'u',
  ց: 'g',
  օ: 'o',
};

function scriptOf(ch: string): string | null {
  if (NEUTRAL.test(ch)) return null;
  for (const [name, re] of SCRIPTS) if (re.test(ch)) return name;
  return 'another script';
}

/** The scripts of a label's letters, in order of first appearance. */
export function scriptsOf(label: string): string[] {
  const seen: string[] = [];
  for (const ch of label) {
    const script = scriptOf(ch);
    if (script && !seen.includes(script)) seen.push(script);
  }
  return seen;
}

/** The Latin text a label passes for, when every letter is Latin or has a Latin look-alike. */
function latinSkeleton(label: string): string | null {
  let out = '';
  for (const ch of label) {
    if (/[a-z0-9-]/.test(ch)) out += ch;
    else if (LATIN_LOOKALIKE[ch] !== undefined) out += LATIN_LOOKALIKE[ch];
    else return null;
  }
  return out;
}

// ---- punycode (RFC 3492), decode only: an operator may paste the xn-- form ----

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;

function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

function digitOf(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 22; // 0-9 → 26-35
  if (c >= 0x61 && c <= 0x7a) return c - 0x61; // a-z → 0-25
  return BASE;
}

/** The Unicode form of an `xn--` label, or null when it is not valid punycode. */
export function decodePunycodeLabel(label: string): string | null {
  if (!label.startsWith('xn--')) return label;
  const input = label.slice(4);
  const cut = input.lastIndexOf('-');
  const output = cut > 0 ? [...input.slice(0, cut)].map((c) => c.codePointAt(0)!) : [];
  let n = 128;
  let bias = 72;
  let i = 0;
  for (let pos = cut > 0 ? cut + 1 : 0; pos < input.length;) {
    const oldi = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (pos >= input.length) return null;
      const digit = digitOf(input.charCodeAt(pos++));
      if (digit >= BASE) return null;
      i += digit * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (digit < t) break;
      w *= BASE - t;
      if (w > 0x10ffff * BASE) return null;
    }
    bias = adapt(i - oldi, output.length + 1, oldi === 0);
    n += Math.floor(i / (output.length + 1));
    i %= output.length + 1;
    if (n > 0x10ffff) return null;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}

function quote(text: string): string {
  return `"${text.length > 70 ? `${text.slice(0, 67)}...` : text}"`;
}

/**
 * Warnings for every label of a host (its ASCII form, `xn--` labels decoded here) that mixes
 * scripts or passes for Latin. Plain ASCII labels give none.
 */
export function confusableWarnings(asciiHost: string): ConfusableWarning[] {
  const warnings: ConfusableWarning[] = [];
  for (const punycodeLabel of asciiHost.split('.')) {
    if (!punycodeLabel.startsWith('xn--')) continue;
    const unicodeLabel = decodePunycodeLabel(punycodeLabel);
    if (unicodeLabel === null) continue;
    const scripts = scriptsOf(unicodeLabel);
    const looksLike = latinSkeleton(unicodeLabel);
    const shown = `${quote(unicodeLabel)} (punycode ${quote(punycodeLabel)})`;
    const mixed = scripts.length > 1 && !ALLOWED_MIXES.some((set) => scripts.every((s) => set.includes(s)));
    if (mixed) {
      warnings.push({
        code: 'mixed-script',
        unicodeLabel,
        punycodeLabel,
        looksLike,
        message: `The label ${shown} mixes ${scripts.join(' and ')} letters${looksLike ? `: it looks like ${quote(looksLike)} but is a different domain and tenant` : ''}. Check it is the domain you meant.`,
      });
    } else if (scripts.length === 1 && scripts[0] !== 'Latin' && looksLike !== null) {
      warnings.push({
        code: 'whole-script-confusable',
        unicodeLabel,
        punycodeLabel,
        looksLike,
        message: `The label ${shown} is written in ${scripts[0]} letters that look Latin: it reads as ${quote(looksLike)} but is a different domain and tenant. Check it is the domain you meant.`,
      });
    }
  }
  return warnings;
}
