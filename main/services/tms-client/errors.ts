/**
 * Error classification for TMS calls: an unreachable TMS, an HTTP failure (its code from the
 * status, the server's detail scrubbed of secrets), a TMS without DELETE.
 */
import { ConsoleError } from '../../../shared/errors/errors';
import { isObject } from './reply';

/** What a TMS error is about and may not reveal: the instance, its TMS (origin only), the secrets to scrub. */
export interface TmsSite {
  readonly instanceId: string;
  readonly where: string;
  readonly timeoutMs: number;
  /** Secrets the client has seen, scrubbed from any server text put in an error. */
  readonly secrets: ReadonlySet<string>;
}

export function unsupported(site: TmsSite, name: string): ConsoleError {
  return new ConsoleError(
    'tms-unsupported',
    `This TMS has no DELETE /tenant: remove tenant ${name} by hand on ${site.where}`,
    {
      instanceId: site.instanceId,
      tenant: name,
    },
  );
}

export function unreachable(site: TmsSite, what: string, err: unknown): ConsoleError {
  const e = err as { name?: string; cause?: { code?: string } };
  const reason =
    e?.name === 'TimeoutError' || e?.name === 'AbortError'
      ? `no answer within ${site.timeoutMs} ms`
      : typeof e?.cause?.code === 'string'
        ? e.cause.code
        : 'connection failed';
  return new ConsoleError(
    'tms-unreachable',
    `The TMS of instance ${site.instanceId} at ${site.where} is unreachable (${reason}) during ${what}.`,
    {
      instanceId: site.instanceId,
    },
  );
}

export async function httpError(site: TmsSite, res: Response, what: string): Promise<ConsoleError> {
  let detail = '';
  try {
    const text = await res.text();
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed) && typeof parsed.detail === 'string') detail = parsed.detail;
  } catch {
    // no readable detail
  }
  detail = scrub(site.secrets, detail).replace(/\s+/g, ' ').slice(0, 160);
  const code = res.status === 401 || res.status === 403 ? 'tms-unauthorized' : 'tms-error';
  return new ConsoleError(
    code,
    `The TMS of instance ${site.instanceId} (${site.where}) answered HTTP ${res.status} to ${what}${detail ? `: ${detail}` : '.'}`,
    {
      instanceId: site.instanceId,
    },
  );
}

/** Remove every secret the client knows, and anything shaped like a token, from server text. */
function scrub(secrets: Iterable<string>, text: string): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[secret]');
  return out.replace(/[A-Za-z0-9_-]{32,}/g, '[secret]');
}
