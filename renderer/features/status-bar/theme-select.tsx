/** Theme: follow the system, or light/dark; stored in the core's settings via `preferences.set`. */
import { SelectField } from '../../components/select-field';
import { useThemeChoice } from '../../lib/theme-choice';

const THEME_OPTIONS = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
] as const;

export function ThemeSelect() {
  const { theme, choose, problem } = useThemeChoice();
  return (
    <>
      <SelectField
        label="Theme"
        className="inline theme-select"
        value={theme}
        options={THEME_OPTIONS}
        onChange={choose}
      />
      {problem ? (
        <span className="status-item error-text" role="alert">
          {problem}
        </span>
      ) : null}
    </>
  );
}
