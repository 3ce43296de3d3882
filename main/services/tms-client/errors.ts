/**
 * Error classification for TMS calls: an unreachable TMS, an HTTP failure (its code from the
 * status, the server's detail scrubbed of secrets), a TMS without DELETE.
 */
import { ConsoleError } from '../../../shared/errors';
import { isObject } from './reply';

/** Who a TMS error is about: the instance, and where its TMS is (origin only). */
export interface TmsSite {
  readonly instanceId: string;
  readonly where: string;
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

export function unreachable(site: TmsSite, timeoutMs: number, what: string, err: unknown): ConsoleError {
  const e = err as { name?: string; cause?: { code?: string } };
  const reason =
    e?.name === 'TimeoutError' || e?.name === 'AbortError'
      ? `no answer within ${timeoutMs} ms`
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

export async function httpError(
  site: TmsSite,
  res: Response,
  what: string,
  secrets: Iterable<string>,
): Promise<ConsoleError> {
  let detail = '';
  try {
    const text = await res.text();
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed) && typeof parsed.detail === 'string') detail = parsed.detail;
  } catch {
    // no readable detail
  }
  detail = scrub(secrets, detail).replace(/\s+/g, ' ').slice(0, 160);
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
export function scrub(secrets: Iterable<string>, text: string): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[secret]');
  return out.replace(/[A-Za-z0-9_-]{32,}/g, '[secret]');
}
