/** Where the console keeps its data: the folder, the settings file, and whether it can be written. */
import { ErrorMessage } from '../../components/error-message';
import { Facts } from '../../components/facts';
import { useAppStatus } from '../../lib/use-server-state';

export function DataSection() {
  const status = useAppStatus();
  if (status.error) return <ErrorMessage error={status.error} />;
  const s = status.data;
  if (!s) return <p className="muted">Loading…</p>;
  return (
    <>
      <Facts
        facts={[
          ['Data folder', <code key="d">{s.dataDir}</code>],
          ['Settings file', <code key="f">{s.settingsPath}</code>],
          ['Writable', s.readOnly ? 'No: changes cannot be saved' : 'Yes'],
        ]}
      />
      {s.problems.length > 0 ? (
        <ul className="warnings" aria-label="Settings file problems">
          {s.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <p className="muted small-text">
        The folder also holds the audit log, the capacity history and the watch’s Changes feed. It holds no secret:
        those are in the keychain. To use another folder, start the console with the environment variable
        TENANT_CONSOLE_DATA_DIR set to it.
      </p>
    </>
  );
}
