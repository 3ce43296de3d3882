/**
 * An instance's capacity forecast, the same on every screen (Fleet card, headroom table, Instance,
 * History, placement) and in the words `tenantctl` prints: per limit the figure in whole months, then
 * the method and its inputs in one line (lib/forecast-format.ts, shared/capacity/forecast-text.ts).
 */
import type { ForecastFigures, ForecastLimit } from '../../shared/capacity/forecast-text';
import { forecastTexts } from '../lib/forecast-format';

export function ForecastLines({
  forecast,
  label,
}: {
  forecast: Record<ForecastLimit, ForecastFigures>;
  /** Accessible name of the list, e.g. "Forecast of EU 1". */
  label: string;
}) {
  return (
    <ul className="forecast-lines" aria-label={label}>
      {forecastTexts(forecast).map((t) => (
        <li key={t.limit} data-limit={t.limit}>
          <strong>{t.figure}</strong>
          {': '}
          <span className="forecast-method">{t.method}</span>
        </li>
      ))}
    </ul>
  );
}
