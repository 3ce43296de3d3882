/**
 * Which of the watch's changes become desktop notifications: every one, problems only, or none.
 * Stored in the settings file next to the watch's schedule; Electron's main and the browser shell's
 * page both apply it. The in-app notices and the Changes feed always hold every change. Zod-free:
 * the page's frame reads it.
 */

export const NOTIFICATION_CHOICES = ['all', 'problems', 'off'] as const;
export type NotificationChoice = (typeof NOTIFICATION_CHOICES)[number];
export const DEFAULT_NOTIFICATION_CHOICE: NotificationChoice = 'all';

/** The entries the operator wants a desktop notification for. */
export function entriesToNotify<E extends { severity: 'problem' | 'recovered' | 'info' }>(
  entries: readonly E[],
  choice: NotificationChoice,
): E[] {
  if (choice === 'off') return [];
  if (choice === 'problems') return entries.filter((e) => e.severity === 'problem');
  return [...entries];
}
