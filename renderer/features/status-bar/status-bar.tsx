/**
 * The status bar: which shell hosts the page, the data folder, read-only settings (with why), and
 * keychain or settings problems seen in any failed call.
 */
import { useShellKind } from '../../lib/api-context';
import { dismissProblems, useProblems } from '../../lib/notices';
import { errorMessage } from '../../lib/transport';
import { useAppStatus } from '../../lib/use-server-state';
import { ThemeSelect } from './theme-select';

export function StatusBar({ onHelp }: { onHelp: () => void }) {
  const shell = useShellKind();
  const status = useAppStatus();
  const problems = useProblems();
  const app = status.data;
  return (
    <footer className="status-bar" aria-label="Status">
      <span className="status-item" data-testid="status-shell">
        Shell: <strong>{app?.shell ?? shell}</strong>
      </span>
      {app ? (
        <span
          className="status-item"
          data-testid="status-operator"
          title={`Every change you make and every audit entry carries this name and workstation (${app.operator.workstation}).`}
        >
          Operator: <strong>{app.operator.name}</strong>
          {app.operator.isDefault ? ' (default name)' : ''}
        </span>
      ) : null}
      <span className="status-item status-datadir" title={app?.settingsPath}>
        Data: {app?.dataDir ?? '…'}
      </span>
      {status.error ? (
        <span className="status-item error-text" role="alert">
          Status unavailable: {errorMessage(status.error)}
        </span>
      ) : null}
      {app?.readOnly ? (
        <span className="status-item status-readonly" role="alert">
          Read-only: changes cannot be saved{app.problems.length ? ` — ${app.problems.join('; ')}` : ''}
        </span>
      ) : app && app.problems.length ? (
        <span className="status-item warn-text">{app.problems.join('; ')}</span>
      ) : null}
      {problems.length ? (
        <span className="status-item status-problem" role="alert">
          {problems.map((p) => `${p.message} (${p.code})`).join(' · ')}{' '}
          <button type="button" className="small" onClick={dismissProblems}>
            Dismiss
          </button>
        </span>
      ) : null}
      <span className="spacer" />
      <ThemeSelect />
      <button type="button" className="small" onClick={onHelp}>
        Keyboard shortcuts
      </button>
    </footer>
  );
}
