import { describe, expect, it } from 'vitest';
import { confusableWarnings, decodePunycodeLabel, scriptsOf } from '../../../shared/text/confusables';
import { deriveTenantName } from '../../../shared/tenants/tenant-name';

function warningsFor(host: string) {
  const r = deriveTenantName(host);
  if (!r.ok) throw new Error(r.error.message);
  return r.warnings;
}

describe('look-alike labels (TR 39)', () => {
  it('warns that Cyrillic "аpple" mixes scripts, showing the Unicode form beside the punycode', () => {
    const [first] = warningsFor('аpple.example.com');
    expect(first).toMatchObject({
      code: 'mixed-script',
      unicodeLabel: 'аpple',
      punycodeLabel: 'xn--pple-43d',
      looksLike: 'apple',
    });
    expect(first!.message).toContain('"аpple" (punycode "xn--pple-43d")');
    expect(first!.message).toMatch(/mixes Cyrillic and Latin letters: it looks like "apple"/);
  });

  it('decodes a pasted xn-- label to warn about it the same way', () => {
    expect(decodePunycodeLabel('xn--pple-43d')).toBe('аpple');
    expect(decodePunycodeLabel('xn--mnchen-3ya')).toBe('münchen');
    expect(decodePunycodeLabel('xn--zz')).toBeNull();
    expect(warningsFor('xn--pple-43d.example.com')[0]?.code).toBe('mixed-script');
  });

  it('warns about a label wholly in Cyrillic or Greek letters that look Latin', () => {
    const cyr = warningsFor('соре.example.com')[0];
    expect(cyr).toMatchObject({ code: 'whole-script-confusable', looksLike: 'cope', unicodeLabel: 'соре' });
    expect(cyr!.message).toMatch(/written in Cyrillic letters that look Latin: it reads as "cope"/);
    expect(warningsFor('ορα.example.com')[0]).toMatchObject({ code: 'whole-script-confusable', looksLike: 'opa' });
  });

  it('warns about mixed scripts in any label, not only the tenant label', () => {
    const w = confusableWarnings('shop.exаmple.com'.normalize());
    expect(w).toEqual([]); // still Unicode: the caller passes the ASCII host
    const derived = warningsFor('shop.exаmple.com');
    expect(derived.map((x) => x.code)).toEqual(['mixed-script']);
  });

  it('leaves plain ASCII, single-script names and Japanese mixes alone', () => {
    expect(warningsFor('apple.example.com')).toEqual([]);
    for (const host of [
      'münchen.example.com',
      'παράδειγμα.example.com',
      '東京abc.example.com',
      'テスト東京.example.com',
    ]) {
      expect(
        warningsFor(host).filter((w) => w.code !== 'letters-only-differs'),
        host,
      ).toEqual([]);
    }
  });

  it('tells scripts apart by the Unicode Script property, ignoring digits and hyphens', () => {
    expect(scriptsOf('аpple-1')).toEqual(['Cyrillic', 'Latin']);
    expect(scriptsOf('abc-123')).toEqual(['Latin']);
  });
});
