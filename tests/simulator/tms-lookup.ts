// How the simulated Tracardi asks the TMS about a tenant: exchange the API key, then GET /tenant/{name}.

export class TmsUnavailableError extends Error {}

export interface TenantLookup {
  name: string;
  installToken: string;
}

/** The simulated Tracardi's TMS client: one cached access token, renewed once on a 401. */
export class TmsLookup {
  private token: string | null = null;

  constructor(
    private readonly url: string,
    private readonly apiKey: string,
    private readonly timeoutMs = 5_000,
  ) {}

  /** The tenant, null when the TMS does not know it; throws TmsUnavailableError when it cannot tell. */
  async tenant(name: string): Promise<TenantLookup | null> {
    let res = await this.get(`/tenant/${encodeURIComponent(name)}`, await this.accessToken(false));
    if (res.status === 401) res = await this.get(`/tenant/${encodeURIComponent(name)}`, await this.accessToken(true));
    if (res.status === 404) return null;
    if (res.status !== 200) throw new TmsUnavailableError(`TMS answered HTTP ${res.status} for tenant [${name}]`);
    const body = (await res.json()) as Record<string, unknown>;
    const token = body.install_token ?? body.install_key;
    return { name, installToken: typeof token === 'string' ? token : '' };
  }

  private async accessToken(renew: boolean): Promise<string> {
    if (this.token && !renew) return this.token;
    const res = await this.get(`/api-key/${encodeURIComponent(this.apiKey)}`);
    if (res.status !== 200) throw new TmsUnavailableError(`TMS refused the API key (HTTP ${res.status})`);
    const body = (await res.json()) as { access_token?: unknown };
    if (typeof body.access_token !== 'string') throw new TmsUnavailableError('TMS gave no access_token');
    this.token = body.access_token;
    return this.token;
  }

  private async get(path: string, token?: string): Promise<Response> {
    try {
      return await fetch(`${this.url.replace(/\/+$/, '')}${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new TmsUnavailableError(`TMS unreachable: ${(err as Error).message}`);
    }
  }
}
