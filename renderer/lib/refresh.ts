/** The "r" shortcut: whichever screen is shown registers what refreshing means for it. */
import { useEffect } from 'react';

const handlers = new Set<() => void>();

/** Ask the visible screen to refresh. Returns false when no screen offers a refresh. */
export function requestRefresh(): boolean {
  for (const h of handlers) h();
  return handlers.size > 0;
}

/** Register the screen's refresh while it is mounted. */
export function useRefreshHandler(handler: () => void): void {
  useEffect(() => {
    handlers.add(handler);
    return () => {
      handlers.delete(handler);
    };
  }, [handler]);
}
