/**
 * The browser shell's desktop notifications: the page's Notifications API when the operator has
 * allowed them (the in-app toast and the Changes feed always show the change too). Electron's
 * window never uses it: main shows the notifications there, and the page's permissions are denied.
 */
import type { WatchNotice } from '../../../shared/watch/watch-text';

export type PagePermission = 'granted' | 'denied' | 'default' | 'unsupported';

/** What the page may do now. */
export function pagePermission(): PagePermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Ask (needs a click: browsers refuse a request without one). */
export async function askPagePermission(): Promise<PagePermission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

/** Show each notice as a desktop notification when allowed; answers how many were shown. */
export function showPageNotices(notices: readonly WatchNotice[]): number {
  if (pagePermission() !== 'granted') return 0;
  for (const n of notices) {
    const shown = new Notification(n.title, { body: n.body, tag: `tracardi-watch-${n.id}` });
    shown.onclick = () => {
      window.focus();
      location.hash = '#/changes';
    };
  }
  return notices.length;
}
