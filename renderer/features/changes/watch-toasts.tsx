/**
 * The watch's in-app notices, on every screen: a round's changes as toasts (watch-news.ts polls the
 * feed). Loaded with the frame, so it stays zod-free (shared/watch-text.ts).
 */
import { dismissToast, useToasts, useWatchNews } from './watch-news';

export function WatchToasts() {
  useWatchNews();
  const toasts = useToasts();
  if (toasts.length === 0) return null;
  return (
    <section className="toasts" aria-label="Watch notifications">
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`toast ${t.title.includes('recovered') ? 'toast-ok' : 'toast-problem'}`}
          data-testid="watch-toast"
        >
          <p className="toast-title">{t.title}</p>
          <p className="toast-body">{t.body}</p>
          <div className="toast-actions">
            <a href="#/changes" onClick={() => dismissToast(t.id)}>
              Show changes
            </a>
            <button type="button" aria-label={`Dismiss: ${t.body}`} onClick={() => dismissToast(t.id)}>
              Dismiss
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}
