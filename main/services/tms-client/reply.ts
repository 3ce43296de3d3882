/** Reading the TMS's replies: a tenant from tolerant JSON, and a body discarded unread. */
import type { TmsTenant } from './types';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

/** Read a TMS tenant, tolerating extra fields and the `install_key` alias. */
export function parseTenant(data: unknown, fallbackName: string | null): TmsTenant | null {
  if (!isObject(data)) return null;
  const name = str(data.name) ?? fallbackName;
  if (!name) return null;
  return {
    id: str(data.id),
    name,
    installToken: str(data.install_token) ?? str(data.install_key),
    email: str(data.email),
    created: str(data.created),
    expire: str(data.expire),
  };
}

export async function discard(res: Response): Promise<void> {
  try {
    await res.arrayBuffer();
  } catch {
    // nothing to free
  }
}
