/**
 * The operator audit log. An entry about an instance goes to that instance's team audit trail (a
 * hash chain in its registry, main/services/registry/audit-chain.ts), one timeline across every
 * operator; every entry also goes to this workstation's own log, one JSON object per line in
 * `<dataDir>/audit.log`, mode 0600, append-only, marked with its place in the team chain (or null
 * when the registry could not take it). Reading merges the team trails of the instances with this
 * workstation's console-level entries and those the team trail does not have.
 *
 * Every string is checked before it is written anywhere: a value from the known-secrets set, or
 * anything shaped like an installation token (43 base64url characters), is replaced by a marker, so
 * a bug elsewhere cannot put a secret in the log (defence in depth).
 */
import { appendFile, chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { auditEntrySchema, type AuditEntry } from '../../shared/contract/contract';
import { oneLine, toConsoleError } from '../../shared/errors/errors';
import type { OperatorStamp } from '../../shared/team/operator';

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
  'move-in',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number] | (string & {});
export type AuditOutcome = AuditEntry['outcome'];

export type AuditInput = Omit<AuditEntry, 'time' | 'user' | 'redacted' | 'operator' | 'team'>;

/** The instances' team audit trails, as the log reaches them (main/core.ts wires the registry). */
export interface TeamAudit {
  /** Append an entry to the instance's chain; answers its place, throws when the registry cannot take it. */
  append(instanceId: string, entry: AuditEntry): Promise<number>;
  /** The newest entries of the instances' chains, with the instances whose trail could not be read. */
  recent(query: AuditQuery): Promise<{ entries: AuditEntry[]; unreachable: { instanceId: string; reason: string }[] }>;
}

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
  /** Who is at the console (default: the OS user on this host). */
  operator?: () => OperatorStamp;
  /** Extra secrets to guard against (e.g. instance API keys), read at every write. */
  knownSecrets?: () => Iterable<string>;
}

/** Base64url runs of exactly 43 characters: the shape of a 32-byte installation token. */
const TOKEN_SHAPE = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/;
export const REDACTED = '[redacted: looked like a secret]';

function currentUser(): OperatorStamp {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return { name, workstation: hostname() };
}

/** Append-only JSON-lines audit log. */
export class AuditLog {
  readonly file: string;
  private readonly now: () => Date;
  private readonly operator: () => OperatorStamp;
  private team: TeamAudit | null = null;
  private readonly extraSecrets: () => Iterable<string>;
  private readonly remembered = new Set<string>();
  private modeChecked = false;
  /** Writes from this process go one after another, so lines never interleave. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(opts: AuditLogOptions) {
    this.file = join(opts.dataDir, 'audit.log');
    this.now = opts.now ?? (() => new Date());
    this.operator = opts.operator ?? currentUser;
    this.extraSecrets = opts.knownSecrets ?? (() => []);
  }

  /** The operator as the log names them. */
  userName(): string {
    return this.operator().name;
  }

  /** Send instance entries to the instances' team trails from now on (core.ts, once the registry exists). */
  attachTeam(team: TeamAudit): void {
    this.team = team;
  }

  /** Add a value the guard must never let through (tokens the process has handled). */
  rememberSecret(value: string | null | undefined): void {
    if (value && value.length >= 8) this.remembered.add(value);
  }

  /**
   * Append one entry: to the instance's team trail when it names an instance, and to this
   * workstation's log. Strings that look like secrets are replaced before anything is written.
   */
  async record(input: AuditInput): Promise<AuditEntry> {
    const operator = this.operator();
    const entry: AuditEntry = {
      time: this.now().toISOString(),
      user: operator.name,
      action: input.action,
      outcome: input.outcome,
      operator,
    };
    if (input.instanceId !== undefined) entry.instanceId = input.instanceId;
    if (input.tenant !== undefined) entry.tenant = input.tenant;
    if (input.detail !== undefined) entry.detail = input.detail;
    const guarded = this.guard(entry);
    if (guarded.instanceId !== undefined && this.team) {
      try {
        guarded.team = await this.team.append(guarded.instanceId, guarded);
      } catch {
        // The registry could not take it: this workstation's log keeps it, marked, and shows it.
        guarded.team = null;
      }
    }
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

  /**
   * Entries matching the query, newest first: the instances' team trails, merged with this
   * workstation's console-level entries and the instance entries its team trail does not have
   * (written while the registry was unreachable, or of an instance whose trail cannot be read now).
   */
  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const local = await this.listLocal(query);
    if (!this.team) return local;
    let team: Awaited<ReturnType<TeamAudit['recent']>>;
    try {
      team = await this.team.recent(query);
    } catch (err) {
      team = { entries: [], unreachable: [{ instanceId: '*', reason: oneLine(toConsoleError(err).message) }] };
    }
    const down = new Set(team.unreachable.map((u) => u.instanceId));
    const mine = local.filter(
      (e) =>
        e.instanceId === undefined ||
        e.team === null ||
        e.team === undefined ||
        down.has(e.instanceId) ||
        down.has('*'),
    );
    const merged = [...team.entries, ...mine].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
    return query.limit !== undefined ? merged.slice(0, query.limit) : merged;
  }

  /** This workstation's own log, newest first. */
  async listLocal(query: AuditQuery = {}): Promise<AuditEntry[]> {
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
    if (out.operator) {
      const op = { ...out.operator };
      for (const key of ['name', 'email', 'workstation'] as const) {
        const v = op[key];
        if (typeof v === 'string' && this.containsSecret(v)) {
          op[key] = REDACTED;
          redacted = true;
        }
      }
      out.operator = op;
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
