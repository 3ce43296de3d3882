/** Theme: follow the system, or light/dark; stored in the core's settings via `preferences.set`. */
import { useState } from 'react';
import { SelectField } from '../../components/select-field';
import { useApi } from '../../lib/api-context';
import { reportError } from '../../lib/notices';
import { isThemePreference, setThemePreference, useThemePreference } from '../../lib/theme';
import { errorMessage } from '../../lib/transport';

const THEME_OPTIONS = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
] as const;

export function ThemeSelect() {
  const api = useApi();
  const theme = useThemePreference();
  const [problem, setProblem] = useState('');
  return (
    <>
      <SelectField
        label="Theme"
        className="inline theme-select"
        value={theme}
        options={THEME_OPTIONS}
        onChange={(next) => {
          if (!isThemePreference(next)) return;
          setThemePreference(next);
          setProblem('');
          api['preferences.set']({ theme: next }).catch((err: unknown) => {
            reportError(err);
            setProblem(`Theme not saved: ${errorMessage(err)}`);
          });
        }}
      />
      {problem ? (
        <span className="status-item error-text" role="alert">
          {problem}
        </span>
      ) : null}
    </>
  );
}
