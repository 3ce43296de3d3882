/**
 * A text filter kept in the URL (a screen's search box): the box and the screen follow each
 * keystroke at once, the URL when the typing pauses, so typing costs no navigation per letter. The
 * first letter is a new history entry (Back returns to the view before the search); Back, Forward
 * or a link that changes the URL's text replaces what was being typed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { setParams, useRoute } from './router';

const URL_DELAY_MS = 400;

/** [the text now, set it, the text in the URL] for the URL parameter `name`. */
export function useUrlText(name: string): [string, (value: string) => void, string] {
  const inUrl = useRoute().params?.[name] ?? '';
  const [state, setState] = useState<{ typed: string | null; seen: string }>({ typed: null, seen: inUrl });
  // The URL's text changed (this box's own write after a pause, or Back): the URL's text is the text.
  let typed = state.typed;
  if (state.seen !== inUrl) {
    typed = null;
    setState({ typed: null, seen: inUrl });
  }
  const latest = useRef({ inUrl, typed });
  useEffect(() => {
    latest.current = { inUrl, typed };
  });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const set = useCallback(
    (value: string) => {
      clearTimeout(timer.current);
      if (!latest.current.inUrl && latest.current.typed === null) {
        setParams({ [name]: value });
        return;
      }
      setState((s) => ({ ...s, typed: value }));
      timer.current = setTimeout(() => setParams({ [name]: value }, { replace: true }), URL_DELAY_MS);
    },
    [name],
  );
  return [typed ?? inUrl, set, inUrl];
}
