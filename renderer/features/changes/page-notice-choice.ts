/**
 * The browser shell's desktop notifications follow the operator's choice (Settings: every change,
 * problems only, off), read afresh from the settings when a round brought news, so a choice made
 * in another window counts at once. Electron's main applies the same choice itself.
 */
import type { ConsoleApi } from '../../../shared/contract/contract';
import { entriesToNotify } from '../../../shared/watch/notification-choice';
import type { WatchChange } from '../../../shared/watch/watch';
import { noticesFor } from '../../../shared/watch/watch-text';
import { showPageNotices } from './page-notifications';

/** Show the page's notifications for these entries as chosen; answers how many were shown. */
export async function showChosenPageNotices(
  api: Pick<ConsoleApi, 'watch.status'>,
  entries: readonly WatchChange[],
): Promise<number> {
  const { notifications } = await api['watch.status']({});
  const notices = noticesFor(entriesToNotify(entries, notifications));
  return notices.length > 0 ? showPageNotices(notices) : 0;
}
