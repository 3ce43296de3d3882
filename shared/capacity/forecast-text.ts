/**
 * The one way a capacity forecast is written, on every surface (Fleet card, headroom table, History,
 * placement, `tenantctl capacity`, the watch): the figure in whole months and one line saying the
 * method and its inputs. Zod-free and formatter-agnostic: each shell passes how it writes numbers
 * and sizes, so the words and the figures are the same everywhere. docs/capacity.md, "One forecast".
 */

import { countOf } from '../text/counts';

/** The limits a forecast counts to. */
export type ForecastLimit = 'shards' | 'disk';

/** How a shell writes a count and a size. */
export interface ForecastFormat {
  count(n: number): string;
  bytes(n: number): string;
}

/** The fields of a limit's forecast the words are written from (capacity-forecast.ts's LimitForecast). */
export interface ForecastFigures {
  perMonth: number | null;
  source: 'cluster' | 'history' | 'blended' | 'model' | 'none';
  historyWeight: number;
  headroom: number;
  months: number | null;
  inputs: {
    used: number;
    limit: number;
    dataNodes: number;
    historyPerMonth: number | null;
    historyDays: number;
    clusterPerMonth: number | null;
    clusterMonths: number;
  };
}

const LABEL: Record<ForecastLimit, string> = { shards: 'Shard limit', disk: 'Low disk watermark' };
// Whole counts grouped as every other figure main writes ('in about 3,652 months').
const plural = (n: number, word: string) => countOf(n, word);

/** The figure every surface shows: whole months, rounded down (null: not growing). */
export function wholeMonths(f: Pick<ForecastFigures, 'months'>): number | null {
  return f.months === null ? null : Math.max(0, Math.floor(f.months));
}

/** "Shard limit in about 27 months" (or reached, under a month, not growing, no forecast). */
export function forecastFigure(limit: ForecastLimit, f: ForecastFigures): string {
  const label = LABEL[limit];
  if (f.months === null) return f.source === 'none' ? `${label}: no forecast` : `${label}: not growing`;
  if (f.months <= 0) return `${label} reached`;
  if (f.months < 1) return `${label} in under a month`;
  const n = wholeMonths(f)!;
  return `${label} in about ${plural(n, 'month')}`;
}

/** The method and its inputs in one line, e.g. "cluster growth 32 shards a month (6 months of its partitions); 1,204 of 2,000 shards open". */
export function forecastMethod(limit: ForecastLimit, f: ForecastFigures, fmt: ForecastFormat): string {
  const i = f.inputs;
  const rate = (n: number) =>
    limit === 'disk'
      ? `${fmt.bytes(n)} a month`
      : `${Math.abs(n) >= 10 ? fmt.count(n) : String(Math.round(n * 10) / 10)} shards a month`;
  const days = plural(Math.round(i.historyDays), 'day');
  let method: string;
  switch (f.source) {
    case 'cluster':
      method = `cluster growth ${rate(f.perMonth!)} (${plural(i.clusterMonths, 'month')} of its partitions)`;
      break;
    case 'history':
      method = `local history: ${rate(f.perMonth!)} over the last ${days}`;
      break;
    case 'blended':
      method =
        `cluster growth ${rate(i.clusterPerMonth!)} blended with ${days} of local history ` +
        `(${rate(i.historyPerMonth!)}, weight ${Math.round(100 * f.historyWeight)}%): ${rate(f.perMonth!)}`;
      break;
    case 'model':
      method = `partition layout model: ${rate(f.perMonth!)} at today's tenants (nothing measured yet)`;
      break;
    default:
      method = 'nothing measured yet';
  }
  const room =
    limit === 'shards'
      ? `${fmt.count(i.used)} of ${fmt.count(i.limit)} shards open`
      : i.dataNodes > 1
        ? `${fmt.bytes(Math.max(0, f.headroom))} left before the first of ${i.dataNodes} data nodes reaches its low watermark`
        : `${fmt.bytes(Math.max(0, f.headroom))} left to the low watermark`;
  return `${method}; ${room}`;
}

/** Figure and method in one line: what every surface prints for one limit. */
export function forecastSentence(limit: ForecastLimit, f: ForecastFigures, fmt: ForecastFormat): string {
  return `${forecastFigure(limit, f)}: ${forecastMethod(limit, f, fmt)}`;
}

/** "shard limit in about 14 months" (or "reached", or "not growing"), the History chart's words. */
export function monthsText(what: string, f: Pick<ForecastFigures, 'months'>): string {
  if (f.months === null) return `${what}: not growing`;
  if (f.months <= 0) return `${what} reached`;
  if (f.months < 1) return `${what} in under a month`;
  return `${what} in about ${plural(wholeMonths(f)!, 'month')}`;
}
