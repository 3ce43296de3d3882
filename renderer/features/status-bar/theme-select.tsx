/** Theme: follow the system, or light/dark; stored in the core's settings via `preferences.set`. */
import { useState } from 'react';
import { Field } from '../../components/field';
import { useApi } from '../../lib/api-context';
import { reportError } from '../../lib/notices';
import { isThemePreference, setThemePreference, useThemePreference } from '../../lib/theme';
import { errorMessage } from '../../lib/transport';

export function ThemeSelect() {
  const api = useApi();
  const theme = useThemePreference();
  const [problem, setProblem] = useState('');
  return (
    <>
      <Field label="Theme" className="inline theme-select">
        {(control) => (
          <select
            {...control}
            value={theme}
            onChange={(e) => {
              const next = e.target.value;
              if (!isThemePreference(next)) return;
              setThemePreference(next);
              setProblem('');
              api['preferences.set']({ theme: next }).catch((err: unknown) => {
                reportError(err);
                setProblem(`Theme not saved: ${errorMessage(err)}`);
              });
            }}
          >
            <option value="system">System</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        )}
      </Field>
      {problem ? (
        <span className="status-item error-text" role="alert">
          {problem}
        </span>
      ) : null}
    </>
  );
}
