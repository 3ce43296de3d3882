/**
 * The watch's in-app notices, on every screen: a round's changes as toasts (watch-news.ts polls the
 * feed). They sit in their own strip of the frame under the screen, never over it, so no action is
 * covered; at most three, the rest counted; good news and plain changes go by themselves, problems
 * stay until dismissed or the Changes screen is opened. Loaded with the frame, so it stays zod-free
 * (shared/watch/watch-text.ts).
 */
import { useEffect, useRef } from 'react';
import { useRoute } from '../../lib/router';
import { nextExpiry } from './toast-queue';
import { clearToasts, dismissToast, expireToasts, resumeToasts, useToastQueue, useWatchNews } from './watch-news';

export function WatchToasts() {
  useWatchNews();
  const queue = useToastQueue();
  const screen = useRoute().screen;
  // Opening Changes shows every entry in its feed: the toasts have been seen.
  useEffect(() => {
    if (screen === 'changes') clearToasts();
  }, [screen]);

  // No toast goes while the operator points at or is inside the toasts (WCAG 2.2.1).
  const paused = useRef(false);
  const next = nextExpiry(queue);
  useEffect(() => {
    if (next === null) return undefined;
    const timer = setTimeout(() => paused.current || expireToasts(), Math.max(0, next - Date.now()) + 20);
    return () => clearTimeout(timer);
  }, [next]);
  const pause = () => (paused.current = true);
  const unpause = () => {
    paused.current = false;
    resumeToasts();
  };

  const { toasts, more } = queue;
  if (toasts.length === 0) return null;
  return (
    <section
      className="toasts"
      aria-label="Watch notifications"
      onMouseEnter={pause}
      onMouseLeave={unpause}
      onFocus={pause}
      onBlur={(e) => (e.currentTarget.contains(e.relatedTarget as Node | null) ? undefined : unpause())}
    >
      <div className="toasts-head">
        <span className="muted">
          {more > 0 ? `${more} more change${more === 1 ? '' : 's'} in Changes` : 'From the watch'}
        </span>
        <a href="#/changes">Show changes</a>
        <button type="button" onClick={clearToasts}>
          Dismiss all
        </button>
      </div>
      <div className="toast-list">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`} data-tone={t.tone} data-testid="watch-toast">
            <p className="toast-title">{t.title}</p>
            <p className="toast-body" title={t.body}>
              {t.body}
            </p>
            <button type="button" aria-label={`Dismiss: ${t.body}`} onClick={() => dismissToast(t.id)}>
              Dismiss
            </button>
          </div>
        ))}
      </div>
    </section>
  );
}
