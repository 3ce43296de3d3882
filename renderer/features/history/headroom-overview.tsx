/**
 * The fleet's headroom side by side: per instance, shards and disk (to the low watermark) used, and
 * the months the forecast gives each. Plain meters and text: no chart code on the first screen.
 */
import { ForecastLines } from '../../components/forecast-lines';
import { Meter } from '../../components/meter';
import { formatBytes, formatCount, ratio } from '../../lib/format';
import { routeHash } from '../../lib/router';
import { useInstanceMap } from '../../lib/use-server-state';
import { useHeadroom } from './use-history';
import './history.css';

/** A cell with a meter of `used` against `of`, both written with `format`; the column names it on screen. */
function MeterCell({
  label,
  used,
  of,
  format,
}: {
  label: string;
  used: number | null;
  of: number | null;
  format: (n: number | null) => string;
}) {
  return (
    <td>
      <Meter label={label} showLabel={false} value={ratio(used, of)} text={`${format(used)} of ${format(of)}`} />
    </td>
  );
}

export function HeadroomOverview() {
  const query = useHeadroom();
  const names = useInstanceMap();
  const rows = query.data ?? [];
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="headroom-heading" className="panel headroom">
      <h2 id="headroom-heading">Headroom across the fleet</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Instance</th>
            <th scope="col">Shards</th>
            <th scope="col">Disk to the low watermark</th>
            <th scope="col">Forecast</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const name = names.get(r.instanceId)?.instance.name ?? r.instanceId;
            return (
              <tr key={r.instanceId}>
                <th scope="row">
                  <a className="truncate" href={routeHash({ screen: 'history', id: r.instanceId })} title={name}>
                    {name}
                  </a>
                </th>
                {r.at === null ? (
                  <td colSpan={3} className="muted">
                    No history yet
                  </td>
                ) : (
                  <>
                    <MeterCell label={`${name} shards`} used={r.shardsOpen} of={r.shardLimit} format={formatCount} />
                    <MeterCell label={`${name} disk`} used={r.diskUsed} of={r.diskLow} format={formatBytes} />
                    <td>
                      <ForecastLines forecast={r.forecast} label={`Forecast of ${name}`} />
                    </td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
