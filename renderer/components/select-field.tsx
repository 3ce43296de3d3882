/**
 * A labelled <select> (a Field around it): the options as values (shown as they are) or
 * value/label pairs, optionally led by an "any"/"none" option whose value is ''.
 */
import { Field, type FieldProps } from './field';

export interface SelectOption<V extends string> {
  value: V;
  label: string;
}

export interface SelectFieldProps<V extends string> extends Omit<FieldProps, 'children'> {
  value: V;
  onChange: (value: V) => void;
  options: readonly (V | SelectOption<V>)[];
  /** Label of a first option with the value '' ("All instances", "Any state"); V then includes ''. */
  empty?: string;
}

export function SelectField<V extends string>({ value, onChange, options, empty, ...field }: SelectFieldProps<V>) {
  return (
    <Field {...field}>
      {(control) => (
        <select {...control} value={value} onChange={(e) => onChange(e.target.value as V)}>
          {empty !== undefined ? <option value="">{empty}</option> : null}
          {options.map((o) => {
            const { value: v, label } = typeof o === 'string' ? { value: o, label: o } : o;
            return (
              <option key={v} value={v}>
                {label}
              </option>
            );
          })}
        </select>
      )}
    </Field>
  );
}

/** The instances as options, by name (and environment when asked). */
export function instanceOptions(
  views: readonly { instance: { id: string; name: string; environment: string } }[],
  withEnvironment = false,
): SelectOption<string>[] {
  return views.map(({ instance: i }) => ({
    value: i.id,
    label: withEnvironment ? `${i.name} (${i.environment})` : i.name,
  }));
}
