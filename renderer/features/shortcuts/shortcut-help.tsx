/** The "?" dialog: every keyboard shortcut. */
import { Dialog } from '../../components/dialog';
import { APP_SHORTCUTS } from '../../lib/shortcuts';

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <table className="data-table shortcuts-table">
        <caption className="visually-hidden">Keyboard shortcuts</caption>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {APP_SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                {s.keys.split(' ').map((k, i) => (
                  <span key={i}>
                    {i > 0 ? ' then ' : ''}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{s.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small-text">Shortcuts do not fire while you type in a field. Escape closes dialogs.</p>
      <div className="dialog-actions">
        <button type="button" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}
