/**
 * The watch's notifier in Electron: each notice a desktop Notification from main (the page asks for
 * no permission: its permission requests are all denied). Clicking one calls `onClick` (the shell
 * brings its window forward). A thin adapter: which notices to show is decided by the watch service.
 */
import { Notification } from 'electron';
import type { WatchNotice } from '../../shared/watch/watch-text';
import type { WatchNotifier } from '../services/watch';

/** A notifier showing Electron Notifications; `onClick` runs when the operator clicks one. */
export function createElectronNotifier(options: { onClick?: (notice: WatchNotice) => void } = {}): WatchNotifier {
  return {
    show(notices) {
      // Without a notification server (a bare Linux session) the feed and the in-app toast remain.
      if (!Notification.isSupported()) return;
      for (const notice of notices) {
        const shown = new Notification({ title: notice.title, body: notice.body });
        shown.on('click', () => options.onClick?.(notice));
        shown.show();
      }
    },
  };
}
