/**
 * The operator audit log: one JSON object per line in `<dataDir>/audit.log`, mode 0600,
 * append-only. Every string is checked before it is written: a value from the known-secrets set,
 * or anything shaped like an installation token (43 base64url characters), is replaced by a
 * marker, so a bug elsewhere cannot put a secret in the log (defence in depth).
 */
import { appendFile, chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { auditEntrySchema, type AuditEntry } from '../../shared/contract';

export type { AuditEntry };

export const AUDIT_ACTIONS = [
  'create',
  'override',
  'reveal',
  'copy',
  'export',
  'hand-over',
  'rotate',
  'revoke',
  'delete',
  'reconcile',
  'repair',
  'import',
  'verify',
  'adopt',
  'watch',
  'watch-configure',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number] | (string & {});
export type AuditOutcome = AuditEntry['outcome'];

export type AuditInput = Omit<AuditEntry, 'time' | 'user' | 'redacted'>;

export interface AuditQuery {
  action?: string;
  instanceId?: string;
  tenant?: string;
  /** ISO time or Date: entries at or after it. */
  since?: string | Date;
  /** The newest N matching entries. */
  limit?: number;
}

export interface AuditLogOptions {
  dataDir: string;
  now?: () => Date;
  user?: () => string;
  /** Extra secrets to guard against (e.g. instance API keys), read at every write. */
  knownSecrets?: () => Iterable<string>;
}

/** Base64url runs of exactly 43 characters: the shape of a 32-byte installation token. */
const TOKEN_SHAPE = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/;
export const REDACTED = '[redacted: looked like a secret]';

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/** Append-only JSON-lines audit log. */
export class AuditLog {
  readonly file: string;
  private readonly now: () => Date;
  private readonly user: () => string;
  private readonly extraSecrets: () => Iterable<string>;
  private readonly remembered = new Set<string>();
  private modeChecked = false;
  /** Writes from this process go one after another, so lines never interleave. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(opts: AuditLogOptions) {
    this.file = join(opts.dataDir, 'audit.log');
    this.now = opts.now ?? (() => new Date());
    this.user = opts.user ?? currentUser;
    this.extraSecrets = opts.knownSecrets ?? (() => []);
  }

  /** The operator as the log names them. */
  userName(): string {
    return this.user();
  }

  /** Add a value the guard must never let through (tokens the process has handled). */
  rememberSecret(value: string | null | undefined): void {
    if (value && value.length >= 8) this.remembered.add(value);
  }

  /** Append one entry; strings that look like secrets are replaced before anything is written. */
  async record(input: AuditInput): Promise<AuditEntry> {
    const entry: AuditEntry = {
      time: this.now().toISOString(),
      user: this.user(),
      action: input.action,
      outcome: input.outcome,
    };
    if (input.instanceId !== undefined) entry.instanceId = input.instanceId;
    if (input.tenant !== undefined) entry.tenant = input.tenant;
    if (input.detail !== undefined) entry.detail = input.detail;
    const guarded = this.guard(entry);
    const line = `${JSON.stringify(guarded)}\n`;
    const write = this.chain.then(() => this.append(line));
    this.chain = write.catch(() => undefined);
    await write;
    return guarded;
  }

  /** True when the text holds a known secret or a token-shaped run. */
  containsSecret(text: string): boolean {
    if (TOKEN_SHAPE.test(text)) return true;
    for (const s of this.secrets()) if (text.includes(s)) return true;
    return false;
  }

  /** Entries matching the query, newest first. */
  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const since = query.since === undefined ? null : new Date(query.since).getTime();
    const out: AuditEntry[] = [];
    const lines = text.split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!.trim();
      if (!line) continue;
      let e: AuditEntry;
      try {
        const checked = auditEntrySchema.safeParse(JSON.parse(line));
        // A line edited by hand into another shape: skip it like a torn one, keep the rest.
        if (!checked.success) continue;
        e = checked.data;
      } catch {
        continue; // a torn line from a crash: skip it, keep the rest
      }
      if (query.action !== undefined && e.action !== query.action) continue;
      if (query.instanceId !== undefined && e.instanceId !== query.instanceId) continue;
      if (query.tenant !== undefined && e.tenant !== query.tenant) continue;
      if (since !== null && !(new Date(e.time).getTime() >= since)) continue;
      out.push(e);
      if (query.limit !== undefined && out.length >= query.limit) break;
    }
    return out;
  }

  private *secrets(): Iterable<string> {
    yield* this.remembered;
    for (const s of this.extraSecrets()) if (s && s.length >= 8) yield s;
  }

  private guard(entry: AuditEntry): AuditEntry {
    const out: AuditEntry = { ...entry };
    let redacted = false;
    for (const key of ['user', 'action', 'instanceId', 'tenant', 'detail'] as const) {
      const v = out[key];
      if (typeof v === 'string' && this.containsSecret(v)) {
        (out as unknown as Record<string, string>)[key] = REDACTED;
        redacted = true;
      }
    }
    if (redacted) out.redacted = true;
    return out;
  }

  private async append(line: string): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    await appendFile(this.file, line, { mode: 0o600, flag: 'a' });
    if (!this.modeChecked) {
      // A file created by someone else (or an older build) keeps its mode: tighten it once.
      const s = await stat(this.file);
      if ((s.mode & 0o077) !== 0) await chmod(this.file, 0o600);
      this.modeChecked = true;
    }
  }
}
