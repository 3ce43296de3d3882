// Minimal Elasticsearch access over plain fetch: the simulator needs a dozen endpoints, not a client.

export interface EsReply<T = unknown> {
  status: number;
  body: T;
}

export class EsError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`Elasticsearch ${what} answered HTTP ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  }
}

/** An Elasticsearch endpoint; credentials in the URL become a Basic header (fetch refuses them in URLs). */
export class Es {
  /** Base URL without credentials. */
  readonly base: string;
  private readonly headers: Record<string, string> = { 'content-type': 'application/json' };

  constructor(
    url: string,
    private readonly timeoutMs = 30_000,
  ) {
    const parsed = new URL(url);
    if (parsed.username) {
      const creds = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
      this.headers.authorization = `Basic ${Buffer.from(creds).toString('base64')}`;
      parsed.username = '';
      parsed.password = '';
    }
    this.base = parsed.toString().replace(/\/+$/, '');
  }

  /** One request; any status is returned, only network failures throw. */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<EsReply<T>> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: this.headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return { status: res.status, body: parseBody(await res.text()) as T };
  }

  /** A request that must answer 2xx. */
  async ok<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const reply = await this.request<T>(method, path, body);
    if (reply.status < 200 || reply.status > 299) throw new EsError(reply.status, reply.body, `${method} ${path}`);
    return reply.body;
  }
}

/** JSON when it is JSON (errors of some APIs are plain text), else the text; null when empty. */
function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Runs `work` over `items` with at most `limit` in flight; rejects with the first failure. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Comma-joined, URL-encoded list of names for a multi-target path. */
export function targets(names: readonly string[]): string {
  return names.map((n) => encodeURIComponent(n)).join(',');
}
