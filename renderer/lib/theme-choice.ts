/** Choosing the colour theme (the status bar's select and the Settings screen's): applied at once, then stored. */
import { useCallback, useState } from 'react';
import { useApi } from './api-context';
import { reportError } from './notices';
import { isThemePreference, setThemePreference, useThemePreference, type ThemePreference } from './theme';
import { errorMessage } from './transport';

/** The theme in force, a chooser for it, and why the last choice was not saved ('' when it was). */
export function useThemeChoice(): { theme: ThemePreference; choose: (next: string) => void; problem: string } {
  const api = useApi();
  const theme = useThemePreference();
  const [problem, setProblem] = useState('');
  const choose = useCallback(
    (next: string) => {
      if (!isThemePreference(next)) return;
      setThemePreference(next);
      setProblem('');
      api['preferences.set']({ theme: next }).catch((err: unknown) => {
        reportError(err);
        setProblem(`Theme not saved: ${errorMessage(err)}`);
      });
    },
    [api],
  );
  return { theme, choose, problem };
}
