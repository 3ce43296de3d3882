/**
 * Where the tenant should go: the instances of the chosen instance's Tracardi version ranked by room
 * after placing it, the best marked and pre-selected, one line each saying why; refused instances
 * with their reason. Choosing one sets the form's Instance.
 */
import type { TracardiVersion } from '../../../shared/instance';
import type { PlacementReport } from '../../../shared/placement';
import { ErrorMessage } from '../../components/error-message';
import { Spinner } from '../../components/spinner';

export function PlacementPanel({
  reports,
  loading,
  error,
  version,
  selected,
  onChoose,
}: {
  reports: readonly PlacementReport[] | undefined;
  loading: boolean;
  error: unknown;
  version: TracardiVersion | undefined;
  selected: string;
  onChoose: (instanceId: string) => void;
}) {
  const report = reports?.find((r) => r.version === version);
  return (
    <section className="placement" aria-labelledby="placement-heading">
      <h2 id="placement-heading">Placement{version ? ` on Tracardi ${version}` : ''}</h2>
      {loading ? <Spinner label="Ranking the instances" /> : null}
      {error ? <ErrorMessage error={error} prefix="Placement failed:" /> : null}
      {report ? (
        <>
          {report.ranking.length === 0 ? (
            <p className="check check-failed">No instance of this version can take a tenant.</p>
          ) : (
            <ol className="placement-ranking" aria-label="Ranking by room after placing the tenant">
              {report.ranking.map((f, i) => (
                <li key={f.instanceId} aria-current={f.instanceId === selected ? 'true' : undefined}>
                  <button type="button" className="link-button" onClick={() => onChoose(f.instanceId)}>
                    {f.name}
                  </button>
                  {i === 0 ? <span className="status-badge placement-best">Best</span> : null}
                  {f.instanceId === selected ? <span className="muted"> (selected)</span> : null}
                  <p className="placement-why">{f.why}</p>
                </li>
              ))}
            </ol>
          )}
          {report.refused.length > 0 ? (
            <ul className="placement-refused" aria-label="Refused for placement">
              {report.refused.map((r) => (
                <li key={r.instanceId}>
                  <strong>{r.name}</strong> refused: {r.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
