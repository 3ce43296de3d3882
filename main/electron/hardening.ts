/**
 * What every web contents and the session refuse: navigation and redirects away from app://console,
 * new windows, webviews, and every permission request or check. Takes the objects Electron hands
 * over (typed to the few methods used), so tests drive it with fakes.
 */
import { isAppUrl } from './security';

interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of Electron's WebContents the hardening touches. */
export interface HardenedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** The parts of Electron's Session the hardening touches. */
export interface HardenedSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

/** Keep a web contents on the app's own origin, in its own window, without webviews. */
export function hardenContents(contents: HardenedContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The console needs no permission (camera, notifications, clipboard-read…): every one is refused. */
export function denyAllPermissions(session: HardenedSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
