/**
 * The operator at this console: the name and e-mail they set once (in the settings file), or the
 * default, the OS user at the host name, shown until changed. `stamp()` is what every registry
 * change and audit entry carries.
 */
import os from 'node:os';
import { ConsoleError, describeIssues } from '../../../shared/errors/errors';
import {
  MAX_OPERATOR_NAME_CHARS,
  MAX_WORKSTATION_CHARS,
  operatorInputSchema,
  type OperatorInput,
  type OperatorStamp,
  type OperatorView,
} from '../../../shared/team/operator';
import { unsafeCharacter } from '../../../shared/text/text-safety';
import type { SettingsStore } from '../settings-store';

export interface OperatorServiceOptions {
  /** The workstation's host name (default os.hostname). */
  hostname?: () => string;
  /** The OS user (default os.userInfo().username, else $USER). */
  username?: () => string;
}

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

// A host or user name is not ours to trust: no control characters, bounded, never empty.
function tidy(value: string, max: number, fallback: string): string {
  const clean = [...value]
    .filter((ch) => unsafeCharacter(ch) === null)
    .join('')
    .trim();
  return (clean || fallback).slice(0, max);
}

/** Reads and sets who is at this console. */
export class OperatorService {
  private readonly settings: SettingsStore;
  private readonly hostname: () => string;
  private readonly username: () => string;

  constructor(settings: SettingsStore, options: OperatorServiceOptions = {}) {
    this.settings = settings;
    this.hostname = options.hostname ?? (() => os.hostname());
    this.username = options.username ?? osUser;
  }

  /** This workstation's name, as records and audit entries carry it. */
  workstation(): string {
    return tidy(this.hostname(), MAX_WORKSTATION_CHARS, 'unknown-host');
  }

  /**
   * The keychain this console holds tokens in: OS user, host and keychain service. A token's holder
   * names it, so another console (another user, host or service) knows the token is not its own.
   */
  keychainId(service: string): string {
    return `${tidy(this.username(), 32, 'unknown')}@${this.workstation()}/${tidy(service, 100, 'keychain')}`;
  }

  /** The name used until the operator sets one: OS user at host name. */
  defaultName(): string {
    return tidy(`${tidy(this.username(), 32, 'unknown')}@${this.workstation()}`, MAX_OPERATOR_NAME_CHARS, 'unknown');
  }

  /** The operator as the Settings screen shows them. */
  view(): OperatorView {
    const set = this.settings.read().operator;
    const defaultName = this.defaultName();
    return {
      name: set.name ?? defaultName,
      email: set.email ?? null,
      workstation: this.workstation(),
      isDefault: set.name === undefined,
      defaultName,
    };
  }

  /** Who did it, from where: the stamp on every record change and audit entry. */
  stamp(): OperatorStamp {
    const v = this.view();
    return { name: v.name, ...(v.email ? { email: v.email } : {}), workstation: v.workstation };
  }

  /** Set (or, with null, reset) the name and e-mail; refused with a clear message when invalid. */
  set(input: OperatorInput): OperatorView {
    const parsed = operatorInputSchema.safeParse(input);
    if (!parsed.success) throw new ConsoleError('validation', `Operator not saved: ${describeIssues(parsed.error)}`);
    const { name, email } = parsed.data;
    this.settings.update((draft) => {
      draft.operator = {
        ...(name !== null ? { name } : {}),
        ...(email ? { email } : {}),
      };
    });
    return this.view();
  }
}
