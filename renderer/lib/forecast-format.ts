/**
 * A capacity forecast as the UI writes it: per limit the figure and the method line of
 * shared/capacity/forecast-text.ts with the UI's own number and size formatting (components/forecast-lines.tsx
 * draws them; every screen that shows a forecast uses that component).
 */
import {
  forecastFigure,
  forecastMethod,
  type ForecastFigures,
  type ForecastFormat,
  type ForecastLimit,
} from '../../shared/capacity/forecast-text';
import { formatBytes, formatCount } from './format';

/** How the UI writes a forecast's counts and sizes. */
export const UI_FORECAST_FORMAT: ForecastFormat = { count: formatCount, bytes: formatBytes };

const LIMITS: readonly ForecastLimit[] = ['shards', 'disk'];

/** One entry per limit: the figure ("Shard limit in about 27 months") and the method with its inputs. */
export function forecastTexts(
  forecast: Record<ForecastLimit, ForecastFigures>,
): { limit: ForecastLimit; figure: string; method: string }[] {
  return LIMITS.map((limit) => ({
    limit,
    figure: forecastFigure(limit, forecast[limit]),
    method: forecastMethod(limit, forecast[limit], UI_FORECAST_FORMAT),
  }));
}
