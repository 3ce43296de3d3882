/** The page's polite live region: async results announced by `announce()` reach screen readers. */
import { useAnnouncement } from '../lib/notices';

export function Announcer() {
  const { text, seq } = useAnnouncement();
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {/* The key re-creates the node so a repeated message is announced again. */}
      <span key={seq}>{text}</span>
    </div>
  );
}
