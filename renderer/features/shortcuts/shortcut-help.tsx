/** The "?" dialog: every keyboard shortcut. */
import { DataTable } from '../../components/data-table';
import { Dialog } from '../../components/dialog';
import { APP_SHORTCUTS } from '../../lib/shortcuts';

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <DataTable caption="Keyboard shortcuts" columns={['Keys', 'Action']} className="shortcuts-table">
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
      </DataTable>
      <p className="muted small-text">Shortcuts do not fire while you type in a field. Escape closes dialogs.</p>
      <div className="dialog-actions">
        <button type="button" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}
