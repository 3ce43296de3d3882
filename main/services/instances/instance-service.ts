/**
 * Instances: the Tracardi installations the console manages. Records live in the settings file,
 * their secrets in the keychain (`instance/<id>/<kind>`). Order of writes keeps the two consistent:
 * secrets first, record after (and secrets rolled back if the record cannot be written); on
 * removal secrets first, record after, so a failure never leaves a secret without its record.
 */
import { ConsoleError, describeIssues } from '../../../shared/errors/errors';
import { countOf } from '../../../shared/text/counts';
import { instanceInputProblem } from '../../../shared/text/input-rules';
import { fieldWords } from '../../../shared/text/schema-words';
import {
  instanceSchema,
  SECRET_KINDS,
  type Instance,
  type InstancePatch,
  type SecretKind,
  type SecretPresence,
} from '../../../shared/instances/instance';
import { accountFor, type SecretStore } from '../keychain';
import type { SettingsFile, SettingsStore } from '../settings-store';
import { keychainProblem, presenceFrom, secretWarnings, summarize } from './summary';
import { tenantName, tenantsOf } from './tenant-records';
import type { InstanceDetails, InstanceSecrets, InstanceSecretsPatch, InstanceSummary, RemoveResult } from './types';
import { checkCaPem, checkSecretsFit, ES_SECRET_FOR_AUTH, mergePatch, sameName } from './validation';

/** The keychain accounts an instance's secrets can live under (one per kind). */
const instanceAccounts = (id: string) => SECRET_KINDS.map((kind) => accountFor.instanceSecret(id, kind));

/** Add, change, list and remove instances; their secrets go to the keychain only. */
export class InstanceService {
  /** Bumped before every keychain write of an instance's secret (readers built on the old ones re-read). */
  #secretsEpoch = 0;

  constructor(
    private readonly settings: SettingsStore,
    private readonly secrets: SecretStore,
    /** Called once an instance is removed, to forget what other stores keep of it (its history). */
    private readonly onRemoved: (id: string) => Promise<void> = async () => undefined,
  ) {}

  /** Every instance, from the settings only (no keychain access). */
  async list(): Promise<InstanceSummary[]> {
    return this.settings.read().instances.map(summarize);
  }

  /** One instance; not-found lists the known ids. */
  async get(id: string): Promise<InstanceSummary> {
    return summarize(this.#find(this.settings.read(), id));
  }

  /**
   * One instance with which secrets it holds (asks the keychain). Showing an instance needs no
   * secret: a locked or missing keychain leaves its secrets unknown, with the reason, not an error.
   */
  async details(id: string): Promise<InstanceDetails> {
    const summary = await this.get(id);
    try {
      const secrets = await this.secretPresence(id);
      return { ...summary, warnings: [...summary.warnings, ...secretWarnings(summary.instance, secrets)], secrets };
    } catch (err) {
      const problem = keychainProblem(err);
      if (!problem) throw err;
      return { ...summary, secrets: null, keychainProblem: problem };
    }
  }

  /** Every instance with which secrets it holds (one keychain listing for all); see `details`. */
  async listDetails(): Promise<InstanceDetails[]> {
    const summaries = await this.list();
    if (summaries.length === 0) return [];
    let accounts: Set<string>;
    try {
      accounts = await this.secrets.has(summaries.flatMap((s) => instanceAccounts(s.instance.id)));
    } catch (err) {
      const problem = keychainProblem(err);
      if (!problem) throw err;
      return summaries.map((s) => ({ ...s, secrets: null, keychainProblem: problem }));
    }
    return summaries.map((s) => {
      const secrets = presenceFrom(accounts, s.instance.id);
      return { ...s, warnings: [...s.warnings, ...secretWarnings(s.instance, secrets)], secrets };
    });
  }

  /** Which secrets the instance has in the keychain (never their values). */
  async secretPresence(id: string): Promise<SecretPresence> {
    this.#find(this.settings.read(), id);
    return presenceFrom(await this.secrets.has(instanceAccounts(id)), id);
  }

  /**
   * The instance's secret values, for other services (ES, TMS clients). Never log or return them
   * to a renderer.
   */
  /**
   * Changes whenever this service writes an instance secret: a cache of clients built with the
   * secrets (the capacity snapshot's readers) reads the keychain again only then.
   */
  secretsEpoch(): number {
    return this.#secretsEpoch;
  }

  async resolveSecrets(id: string): Promise<InstanceSecrets> {
    const instance = this.#find(this.settings.read(), id);
    const wanted: SecretKind[] = ['tms-api-key'];
    const esKind = ES_SECRET_FOR_AUTH[instance.es.auth.type];
    if (esKind) wanted.unshift(esKind);
    const out: InstanceSecrets = {};
    for (const kind of wanted) {
      const value = await this.secrets.get(accountFor.instanceSecret(id, kind));
      if (value !== null) out[kind] = value;
    }
    return out;
  }

  /** Add an instance: validate, store secrets, then the record (secrets removed again if that fails). */
  async add(input: unknown, secrets: InstanceSecrets = {}): Promise<InstanceDetails> {
    const parsed = instanceSchema.safeParse(input);
    if (!parsed.success)
      throw new ConsoleError('validation', `Invalid instance: ${describeIssues(parsed.error, fieldWords)}`);
    const instance = parsed.data;
    const tooLong = instanceInputProblem(instance);
    if (tooLong) throw new ConsoleError('validation', `Invalid instance: ${tooLong}`);
    checkCaPem(instance);
    checkSecretsFit(instance, secrets);
    this.#checkNoConflict(this.settings.read(), instance);
    // Refuse before touching the keychain when the record could not be written anyway.
    this.settings.assertWritable();

    const stored: string[] = [];
    try {
      for (const kind of SECRET_KINDS) {
        const value = secrets[kind];
        if (value === undefined) continue;
        const account = accountFor.instanceSecret(instance.id, kind);
        this.#secretsEpoch++;
        await this.secrets.set(account, value);
        stored.push(account);
      }
      this.settings.update((draft) => {
        this.#checkNoConflict(draft, instance); // another shell may have added it meanwhile
        draft.instances.push(instance);
      });
    } catch (err) {
      throw await this.#rollback(
        err,
        stored.map((account) => ({ account, previous: null })),
      );
    }
    const presence = {} as SecretPresence;
    for (const kind of SECRET_KINDS) presence[kind] = secrets[kind] !== undefined;
    return { ...summarize(instance), secrets: presence };
  }

  /**
   * Change an instance's settings and/or secrets. The id cannot change. A secret of null deletes
   * it; secrets that no longer fit a changed auth type are deleted after the record is saved.
   */
  async update(id: string, patch: InstancePatch = {}, secrets: InstanceSecretsPatch = {}): Promise<InstanceDetails> {
    const before = this.settings.read();
    const current = this.#find(before, id);
    if (patch.id !== undefined && patch.id !== id) {
      throw new ConsoleError(
        'validation',
        `An instance id cannot change ("${id}"); add a new instance and remove this one instead.`,
        { instanceId: id },
      );
    }
    const parsed = instanceSchema.safeParse(mergePatch(current, patch));
    if (!parsed.success)
      throw new ConsoleError('validation', `Invalid instance: ${describeIssues(parsed.error, fieldWords)}`, {
        instanceId: id,
      });
    const next = parsed.data;
    const tooLong = instanceInputProblem(next, current);
    if (tooLong) throw new ConsoleError('validation', `Invalid instance: ${tooLong}`, { instanceId: id });
    checkCaPem(next);
    checkSecretsFit(next, secrets);
    this.#checkNoConflict(before, next, id);
    this.settings.assertWritable();

    // Secrets the new auth type cannot use, and the ones the caller deletes: removed after the save.
    // The keychain is asked first even for a settings-only change, so an update never half-applies.
    const present = await this.secrets.has(instanceAccounts(id));
    const toDelete = new Set<string>();
    for (const kind of SECRET_KINDS) {
      const account = accountFor.instanceSecret(id, kind);
      const esKind = ES_SECRET_FOR_AUTH[next.es.auth.type];
      const stale = kind !== 'tms-api-key' && kind !== esKind;
      if ((secrets[kind] === null || stale) && present.has(account)) toDelete.add(account);
    }

    const changed: { account: string; previous: string | null }[] = [];
    try {
      for (const kind of SECRET_KINDS) {
        const value = secrets[kind];
        if (value === undefined || value === null) continue;
        const account = accountFor.instanceSecret(id, kind);
        const previous = present.has(account) ? await this.secrets.get(account) : null;
        this.#secretsEpoch++;
        await this.secrets.set(account, value);
        changed.push({ account, previous });
      }
      this.settings.update((draft) => {
        const index = draft.instances.findIndex((i) => i.id === id);
        if (index < 0) throw this.#notFound(draft, id);
        this.#checkNoConflict(draft, next, id);
        draft.instances[index] = next;
      });
    } catch (err) {
      throw await this.#rollback(err, changed);
    }
    this.#secretsEpoch++;
    for (const account of toDelete) await this.secrets.delete(account);
    const presence = {} as SecretPresence;
    for (const kind of SECRET_KINDS) {
      const account = accountFor.instanceSecret(id, kind);
      presence[kind] = (present.has(account) || typeof secrets[kind] === 'string') && !toDelete.has(account);
    }
    return { ...summarize(next), secrets: presence };
  }

  /**
   * Remove an instance from this console: every secret it has in this keychain (instance secrets of
   * every kind, and the installation tokens this console holds), then its settings. The team's
   * record of its tenants stays in the instance's registry. Refused with conflict while this console
   * holds tokens of its tenants (they would be lost: another operator must rotate to issue new ones)
   * or local records not yet published to the registry, unless `force`.
   */
  async remove(id: string, options: { force?: boolean } = {}): Promise<RemoveResult> {
    const before = this.settings.read();
    this.#find(before, id);
    const tenants = tenantsOf(before, id);
    const tokens = await this.secrets.list(accountFor.tokenPrefix(id));
    if ((tenants.length > 0 || tokens.length > 0) && !options.force) {
      const names = [...tenants.map(tenantName), ...tokens.map((a) => a.slice(accountFor.tokenPrefix(id).length))];
      const unique = [...new Set(names)];
      throw new ConsoleError(
        'conflict',
        `Instance "${id}" still has ${countOf(unique.length, 'tenant')} whose token this console holds or whose record it has not published (${unique.slice(0, 5).join(', ')}${unique.length > 5 ? ', …' : ''}); removing it deletes those tokens from this keychain. The team's records stay in the instance's registry.`,
        { instanceId: id, remedy: 'force-remove-instance' },
      );
    }
    this.settings.assertWritable();

    const accounts = new Set<string>(SECRET_KINDS.map((kind) => accountFor.instanceSecret(id, kind)));
    for (const account of await this.secrets.list(accountFor.instancePrefix(id))) accounts.add(account);
    for (const account of tokens) accounts.add(account);
    const deleted: string[] = [];
    for (const account of [...accounts].sort()) {
      this.#secretsEpoch++;
      if (await this.secrets.delete(account)) deleted.push(account);
    }

    let tenantsRemoved = 0;
    this.settings.update((draft) => {
      draft.instances = draft.instances.filter((i) => i.id !== id);
      const theirs = new Set(tenantsOf(draft, id));
      tenantsRemoved = theirs.size;
      draft.tenants = draft.tenants.filter((t) => !theirs.has(t));
    });
    // The instance is gone from the settings; what others keep of it goes too, best effort (a history
    // file left behind is harmless: a new instance under the same id would only continue it).
    await this.onRemoved(id).catch(() => undefined);
    return { removed: id, secretsDeleted: deleted, tenantsRemoved };
  }

  // -------------------------------------------------------------------------------------------

  #find(settings: SettingsFile, id: string): Instance {
    const found = settings.instances.find((i) => i.id === id);
    if (!found) throw this.#notFound(settings, id);
    return found;
  }

  #notFound(settings: SettingsFile, id: string): ConsoleError {
    const known = settings.instances.map((i) => i.id);
    const list = known.length
      ? `known: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`
      : 'no instances are configured';
    return new ConsoleError('not-found', `No instance "${id.slice(0, 70)}" (${list}).`, { instanceId: id });
  }

  #checkNoConflict(settings: SettingsFile, instance: Instance, self?: string): void {
    for (const other of settings.instances) {
      if (other.id === self) continue;
      if (other.id === instance.id) {
        throw new ConsoleError('conflict', `An instance with id "${instance.id}" already exists.`, {
          instanceId: instance.id,
        });
      }
      if (sameName(other.name, instance.name)) {
        throw new ConsoleError('conflict', `An instance named "${instance.name}" already exists (id "${other.id}").`, {
          instanceId: instance.id,
        });
      }
    }
  }

  /** Put secrets back as they were; the original error is what the operator sees. */
  async #rollback(err: unknown, changed: { account: string; previous: string | null }[]): Promise<unknown> {
    const leftBehind: string[] = [];
    for (const { account, previous } of changed.reverse()) {
      try {
        this.#secretsEpoch++;
        if (previous === null) await this.secrets.delete(account);
        else await this.secrets.set(account, previous);
      } catch {
        leftBehind.push(account);
      }
    }
    if (leftBehind.length > 0 && err instanceof ConsoleError) {
      return new ConsoleError(
        err.code,
        `${err.message} The keychain could not be restored for ${leftBehind.join(', ')}; check those accounts.`,
        { ...(err.instanceId !== undefined ? { instanceId: err.instanceId } : {}), cause: err },
      );
    }
    return err;
  }
}
