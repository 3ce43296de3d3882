/**
 * Window hardening shared by the Electron shell: the renderer's origin, its Content-Security-Policy
 * and the test for a trusted IPC sender. Kept free of Electron imports so it can be unit-tested.
 */

/** The renderer is served from this privileged scheme, never from file:// (which any file shares). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Strict CSP: scripts and styles only from the app itself, no eval, no inline script, no remote
 * connections (the renderer talks to main over IPC only), no frames, no plugins.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** True when a URL belongs to the app's own origin (navigation and IPC checks use this). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

export interface SenderInfo {
  /** webContents id of the sender. */
  webContentsId: number;
  /** URL of the frame that sent the message; null when the frame is gone. */
  frameUrl: string | null;
  /** True when the frame is the top frame of its page (sub-frames never get the API). */
  isMainFrame: boolean;
}

/**
 * An IPC message is trusted only when it comes from the top frame of one of our own windows and
 * that frame shows the app's own origin.
 */
export function isTrustedSender(sender: SenderInfo, trustedWebContentsIds: ReadonlySet<number>): boolean {
  return (
    trustedWebContentsIds.has(sender.webContentsId) &&
    sender.isMainFrame &&
    sender.frameUrl !== null &&
    isAppUrl(sender.frameUrl)
  );
}
