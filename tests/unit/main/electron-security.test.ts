import { describe, expect, it } from 'vitest';
import { isAppUrl, isTrustedSender } from '../../../main/electron/security';

describe('Electron IPC sender check', () => {
  const trusted = new Set([7]);
  const good = { webContentsId: 7, frameUrl: 'app://console/index.html', isMainFrame: true };

  it('trusts the top frame of our own window on the app origin', () => {
    expect(isTrustedSender(good, trusted)).toBe(true);
  });

  it('rejects senders outside a known window, sub-frames, foreign or vanished frames', () => {
    expect(isTrustedSender({ ...good, webContentsId: 8 }, trusted)).toBe(false);
    expect(isTrustedSender({ ...good, isMainFrame: false }, trusted)).toBe(false);
    expect(isTrustedSender({ ...good, frameUrl: 'https://evil.example/' }, trusted)).toBe(false);
    expect(isTrustedSender({ ...good, frameUrl: 'file:///etc/passwd' }, trusted)).toBe(false);
    expect(isTrustedSender({ ...good, frameUrl: 'app://other/index.html' }, trusted)).toBe(false);
    expect(isTrustedSender({ ...good, frameUrl: null }, trusted)).toBe(false);
  });

  it('keeps navigation on app://console', () => {
    expect(isAppUrl('app://console/#/tenants')).toBe(true);
    expect(isAppUrl('app://console.evil.example/')).toBe(false);
    expect(isAppUrl('http://console/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
