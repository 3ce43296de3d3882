/** The access tokens the API-key exchange hands out, cached per instance for a short time. */

interface CachedToken {
  fingerprint: string;
  token: string;
  expiresAt: number;
}

/** Access tokens per instance, kept for a short time. */
export class AccessTokenCache {
  private readonly entries = new Map<string, CachedToken>();
  constructor(readonly ttlMs = 60_000) {}

  get(instanceId: string, fingerprint: string, now: number): string | null {
    const e = this.entries.get(instanceId);
    if (!e || e.fingerprint !== fingerprint || e.expiresAt <= now) return null;
    return e.token;
  }
  set(instanceId: string, fingerprint: string, token: string, now: number): void {
    this.entries.set(instanceId, { fingerprint, token, expiresAt: now + this.ttlMs });
  }
  drop(instanceId: string): void {
    this.entries.delete(instanceId);
  }
}
