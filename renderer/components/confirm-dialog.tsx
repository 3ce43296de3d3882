/**
 * Confirmation for a destructive action. Names what it acts on; optionally makes the operator type
 * a word (the tenant or instance id) before the action is enabled. Shows the call's error in place.
 */
import { useState, type ReactNode } from 'react';
import { Dialog } from './dialog';
import { ErrorMessage } from './error-message';
import { Field } from './field';

export interface ConfirmDialogProps {
  title: string;
  /** What will happen, naming the tenant and instance. */
  message: ReactNode;
  confirmLabel: string;
  /** When set, the confirm button stays disabled until this exact text is typed. */
  requireText?: string;
  /** Extra controls (e.g. a "force" checkbox) between the message and the buttons. */
  children?: ReactNode;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}

export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  requireText,
  children,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ready = requireText === undefined || typed.trim() === requireText;

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Dialog title={title} onClose={onClose} description={message} tone="danger" busy={busy}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready && !busy) void confirm();
        }}
      >
        {requireText !== undefined ? (
          <Field label={`Type ${requireText} to confirm`}>
            {(control) => (
              <input
                {...control}
                data-autofocus
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
        ) : null}
        {children}
        {error ? <ErrorMessage error={error} /> : null}
        <div className="dialog-actions">
          <button
            type="button"
            onClick={onClose}
            disabled={busy}
            data-autofocus={requireText === undefined ? true : undefined}
          >
            Cancel
          </button>
          <button type="submit" className="danger" disabled={!ready || busy}>
            {busy ? `${confirmLabel}…` : confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
