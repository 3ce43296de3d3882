import { afterEach, describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatBytes,
  formatClock,
  formatCount,
  formatDate,
  formatDecimal,
  formatDuration,
  formatLocale,
  formatMinute,
  formatPercent,
  formatTime,
  plural,
  setFormatPreferences,
} from '../../../renderer/lib/format';

afterEach(() => setFormatPreferences({}));

describe('formatCount', () => {
  it('groups thousands as the locale does', () => {
    setFormatPreferences({ locale: 'en-US' });
    for (const n of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 123_456_789, -1, -1234, -1_234_567, 2 ** 53]) {
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    }
    setFormatPreferences({ locale: 'de-DE' });
    expect(formatCount(1_234_567)).toBe('1.234.567');
  });
  it('groups the plain English locales without Intl exactly as Intl does', () => {
    const figures = [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, -1234, -1_234_567, 2 ** 53, 1e20, -0.4, 1234.5];
    for (const locale of ['en', 'en-US', 'en-GB', 'en-AU', 'en-CA', 'en-NZ', 'en-IE']) {
      const intl = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
      setFormatPreferences({ locale });
      for (const n of figures) expect(formatCount(n), `${locale} ${n}`).toBe(intl.format(Math.round(n) || 0));
    }
    // Not these: lakh grouping, spaces, apostrophes.
    setFormatPreferences({ locale: 'en-IN' });
    expect(formatCount(1_234_567)).toBe('12,34,567');
    setFormatPreferences({ locale: 'en-CH' });
    expect(formatCount(1_234_567)).toBe("1'234'567");
  });

  it('rounds to a whole number first', () => {
    setFormatPreferences({ locale: 'en-US' });
    expect(formatCount(1234.5)).toBe('1,235');
    expect(formatCount(999.4)).toBe('999');
    expect(formatCount(-0.2)).toBe('0');
  });
  it('answers a dash for what is not a number', () => {
    expect(formatCount(null)).toBe('—');
    expect(formatCount(undefined)).toBe('—');
    expect(formatCount(Number.NaN)).toBe('—');
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe('—');
  });
  it('keeps huge figures readable', () => {
    setFormatPreferences({ locale: 'en-US' });
    expect(formatCount(1e21)).toBe('1,000,000,000,000,000,000,000');
  });
});

describe('decimals, sizes, percentages, durations', () => {
  it('writes them in the locale', () => {
    setFormatPreferences({ locale: 'en-US' });
    expect(formatDecimal(1.456)).toBe('1.5');
    expect(formatDecimal(2)).toBe('2');
    expect(formatDecimal(12_345.67, 2)).toBe('12,345.67');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(150 * 1024 ** 3)).toBe('150 GiB');
    expect(formatBytes(-2048)).toBe('-2.00 KiB');
    expect(formatPercent(0.8512)).toBe('85.1%');
    expect(formatPercent(0.05)).toBe('5.00%');
    expect(formatDuration(340)).toBe('340 ms');
    expect(formatDuration(2500)).toBe('2.5 s');
    expect(formatDuration(190_000)).toBe('3.2 min');
    setFormatPreferences({ locale: 'de-DE' });
    expect(formatBytes(1536)).toBe('1,50 KiB');
    expect(formatPercent(0.8512)).toBe('85,1\u00a0%');
    expect(formatDecimal(1234.5)).toBe('1.234,5');
  });
  it('answers a dash for what is not a number', () => {
    for (const f of [formatDecimal, formatBytes, formatPercent, formatDuration]) {
      expect(f(null)).toBe('—');
      expect(f(Number.NaN)).toBe('—');
    }
  });
  it('words a count with its noun', () => {
    setFormatPreferences({ locale: 'en-US' });
    expect(plural(1, 'instance')).toBe('1 instance');
    expect(plural(1000, 'instance')).toBe('1,000 instances');
    expect(plural(0, 'entry', 'entries')).toBe('0 entries');
  });
});

describe('dates and times', () => {
  // Local time: the same instant as the test machine's clock would show it.
  const afternoon = new Date(2026, 11, 7, 14, 5, 9).toISOString();
  const midnight = new Date(2026, 11, 7, 0, 5, 9).toISOString();

  it('writes the time on a 24-hour clock by default', () => {
    setFormatPreferences({ locale: 'en-US' });
    expect(formatTime(afternoon)).toBe('Dec 7, 2026, 14:05:09');
    expect(formatTime(midnight)).toBe('Dec 7, 2026, 00:05:09');
    expect(formatMinute(afternoon)).toBe('Dec 7, 2026, 14:05');
    expect(formatClock(afternoon)).toBe('14:05');
    expect(formatDate(afternoon)).toBe('Dec 7, 2026');
    expect(formatTime(new Date(afternoon).getTime())).toBe('Dec 7, 2026, 14:05:09');
  });
  it('follows the locale and the 12-hour choice', () => {
    setFormatPreferences({ locale: 'de-DE' });
    expect(formatTime(afternoon)).toBe('07.12.2026, 14:05:09');
    expect(formatLocale()).toBe('de-DE');
    setFormatPreferences({ locale: 'en-US', hour12: true });
    expect(formatTime(afternoon)).toBe('Dec 7, 2026, 2:05:09 PM');
  });
  it('keeps text that is no time, and a dash for none', () => {
    expect(formatTime('not a time')).toBe('not a time');
    expect(formatTime(null)).toBe('—');
    expect(formatDate(undefined)).toBe('—');
  });
  it('says how long ago', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(formatAgo(null, now)).toBe('never');
    expect(formatAgo('2026-12-07T11:59:58Z', now)).toBe('just now');
    expect(formatAgo('2026-12-07T11:57:00Z', now)).toBe('3 min ago');
    setFormatPreferences({ locale: 'en-US' });
    expect(formatAgo('2023-01-01T12:00:00Z', now)).toBe('1,436 days ago');
  });
});

describe('formatDate and formatClock', () => {
  it('write the local day and the time of day to the minute on the 24-hour clock (chart axes)', () => {
    setFormatPreferences({ locale: 'en-US' });
    const t = new Date(2026, 11, 7, 14, 5, 9).getTime();
    expect(formatDate(t)).toBe('Dec 7, 2026');
    expect(formatClock(t)).toBe('14:05');
    expect(formatClock(new Date(2026, 0, 1, 0, 0).getTime())).toBe('00:00');
    expect(formatDate(null)).toBe('—');
    expect(formatClock(Number.NaN)).toBe('—');
  });
});
