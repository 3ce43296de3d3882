/**
 * Where the tenant should go: the environment it is for (production unless the operator picks
 * another), then the instances of that environment and of the chosen instance's Tracardi version
 * ranked by room after placing it, the best marked and pre-selected, one line each saying why and
 * the instance's forecast as every screen shows it; the other environments' instances apart, not
 * compared; refused instances with their reason. Choosing one sets the form's Instance.
 */
import type { PlacementFigures, PlacementReport } from '../../../shared/capacity/placement';
import type { TracardiVersion } from '../../../shared/instances/instance';
import { ENVIRONMENTS, type Environment } from '../../../shared/text/vocabulary';
import { EnvironmentBadge } from '../../components/environment-badge';
import { ErrorMessage } from '../../components/error-message';
import { ForecastLines } from '../../components/forecast-lines';
import { SelectField } from '../../components/select-field';
import { Spinner } from '../../components/spinner';

const ENVIRONMENT_LABEL: Record<Environment, string> = {
  production: 'Production',
  staging: 'Staging',
  development: 'Development',
  test: 'Test',
};

function Candidate({
  f,
  best,
  selected,
  onChoose,
}: {
  f: PlacementFigures;
  best: boolean;
  selected: boolean;
  onChoose: (instanceId: string) => void;
}) {
  return (
    <li aria-current={selected ? 'true' : undefined}>
      <button type="button" className="link-button" onClick={() => onChoose(f.instanceId)}>
        {f.name}
      </button>{' '}
      <EnvironmentBadge environment={f.environment} />
      {best ? <span className="status-badge placement-best">Best</span> : null}
      {selected ? <span className="muted"> (selected)</span> : null}
      <p className="placement-why">{f.why}</p>
      {/* Named "Forecast" alone: the entry names the instance (and the form's Instance field stays the one "Instance"). */}
      <ForecastLines forecast={f.forecast} label="Forecast" />
    </li>
  );
}

export function PlacementPanel({
  reports,
  loading,
  error,
  version,
  environment,
  onEnvironment,
  selected,
  onChoose,
}: {
  reports: readonly PlacementReport[] | undefined;
  loading: boolean;
  error: unknown;
  version: TracardiVersion | undefined;
  environment: Environment;
  onEnvironment: (environment: Environment) => void;
  selected: string;
  onChoose: (instanceId: string) => void;
}) {
  const report = reports?.find((r) => r.version === version && r.environment === environment);
  return (
    <section className="placement" aria-labelledby="placement-heading">
      <h2 id="placement-heading">Placement{version ? ` on Tracardi ${version}` : ''}</h2>
      <SelectField
        label="Environment of the tenant"
        hint="Only instances of this environment are ranked: a sandbox is never compared with production."
        value={environment}
        options={ENVIRONMENTS.map((e) => ({ value: e, label: ENVIRONMENT_LABEL[e] }))}
        onChange={onEnvironment}
      />
      {loading ? <Spinner label="Ranking the instances" /> : null}
      {error ? <ErrorMessage error={error} prefix="Placement failed:" /> : null}
      {report ? (
        <>
          <p className="placement-reason">{report.reason}</p>
          {report.ranking.length === 0 ? (
            <p className="check check-failed">No {environment} instance of this version can take a tenant.</p>
          ) : (
            <ol className="placement-ranking" aria-label="Ranking by room after placing the tenant">
              {report.ranking.map((f, i) => (
                <Candidate
                  key={f.instanceId}
                  f={f}
                  best={i === 0}
                  selected={f.instanceId === selected}
                  onChoose={onChoose}
                />
              ))}
            </ol>
          )}
          {report.elsewhere.length > 0 ? (
            <ul className="placement-ranking placement-elsewhere" aria-label="Other environments, not compared">
              {report.elsewhere.map((f) => (
                <Candidate
                  key={f.instanceId}
                  f={f}
                  best={false}
                  selected={f.instanceId === selected}
                  onChoose={onChoose}
                />
              ))}
            </ul>
          ) : null}
          {report.refused.length > 0 ? (
            <ul className="placement-refused" aria-label="Refused for placement">
              {report.refused.map((r) => (
                <li key={r.instanceId}>
                  <strong>{r.name}</strong> <EnvironmentBadge environment={r.environment} /> refused: {r.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
