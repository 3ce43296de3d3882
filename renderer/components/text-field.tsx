/** A labelled text input or text area with its hint and inline error wired for screen readers. */
import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> {
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  multiline?: boolean;
  rows?: number;
}

export function TextField({ label, value, onValue, error, hint, multiline = false, rows = 3, className, ...rest }: TextFieldProps) {
  const hintId = useId();
  const errorId = useId();
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <label className={`field${className ? ` ${className}` : ''}`}>
      <span>{label}</span>
      {multiline ? (
        <textarea value={value} rows={rows} onChange={(e) => onValue(e.target.value)} aria-invalid={Boolean(error)} aria-describedby={describedBy} spellCheck={false} />
      ) : (
        <input {...rest} value={value} onChange={(e) => onValue(e.target.value)} aria-invalid={Boolean(error)} aria-describedby={describedBy} />
      )}
      {hint ? (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={errorId}>
          {error}
        </span>
      ) : null}
    </label>
  );
}
