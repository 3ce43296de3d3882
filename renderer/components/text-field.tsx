/**
 * A labelled text input or text area (see Field) with its hint and inline error. Its fields hold domains,
 * URLs, ids and names, never prose: autofill and spell-check are off unless a caller turns them on.
 */
import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field } from './field';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> {
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  /** Extra ids the control is described by (see Field). */
  describedBy?: string;
  multiline?: boolean;
  rows?: number;
}

export function TextField({
  label,
  value,
  onValue,
  error,
  hint,
  describedBy,
  multiline = false,
  rows = 3,
  className,
  ...rest
}: TextFieldProps) {
  return (
    <Field label={label} hint={hint} error={error} describedBy={describedBy} className={className}>
      {(control) =>
        multiline ? (
          <textarea
            {...control}
            value={value}
            rows={rows}
            onChange={(e) => onValue(e.target.value)}
            spellCheck={false}
          />
        ) : (
          <input
            autoComplete="off"
            spellCheck={false}
            {...rest}
            {...control}
            value={value}
            onChange={(e) => onValue(e.target.value)}
          />
        )
      }
    </Field>
  );
}
