/** The colour theme (also in the status bar): follow the system, or light or dark; stored in the settings. */
import { SelectField } from '../../components/select-field';
import { useThemeChoice } from '../../lib/theme-choice';

const THEME_OPTIONS = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
] as const;

export function AppearanceSection() {
  const { theme, choose, problem } = useThemeChoice();
  return (
    <>
      <SelectField label="Colour theme" value={theme} options={THEME_OPTIONS} onChange={choose} />
      {problem ? (
        <p className="error-text" role="alert">
          {problem}
        </p>
      ) : null}
    </>
  );
}
