/** The colour theme (also in the status bar): follow the system, or light or dark; stored in the settings. */
import { useState } from 'react';
import { SelectField } from '../../components/select-field';
import { useApi } from '../../lib/api-context';
import { reportError } from '../../lib/notices';
import { isThemePreference, setThemePreference, useThemePreference } from '../../lib/theme';
import { errorMessage } from '../../lib/transport';

const THEME_OPTIONS = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
] as const;

export function AppearanceSection() {
  const api = useApi();
  const theme = useThemePreference();
  const [problem, setProblem] = useState('');
  return (
    <>
      <SelectField
        label="Colour theme"
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
        <p className="error-text" role="alert">
          {problem}
        </p>
      ) : null}
    </>
  );
}
