/**
 * What the operator is shown about an instance: warnings about its settings, its summary, which
 * secrets it holds in the keychain, and the keychain failure when that cannot be told.
 */
import { toConsoleError, type ConsoleErrorData } from '../../../shared/errors/errors';
import { SECRET_KINDS, type Instance, type SecretPresence } from '../../../shared/instances/instance';
import { accountFor } from '../keychain';
import type { InstanceSummary, InstanceWarning } from './types';

/** The keychain failure behind `err`, or null when `err` is something else (then it is rethrown). */
export function keychainProblem(err: unknown): ConsoleErrorData | null {
  const e = toConsoleError(err);
  return e.code.startsWith('keychain-') ? e.toJSON() : null;
}

/** Warnings about an instance's settings the operator must see wherever it is shown. */
export function instanceWarnings(instance: Instance): InstanceWarning[] {
  const warnings: InstanceWarning[] = [];
  if (!instance.es.tls.verify) {
    warnings.push({
      code: 'tls-verify-off',
      message: `TLS certificate verification is OFF for instance "${instance.id}": Elasticsearch connections accept any certificate.`,
    });
  }
  const plainNodes = instance.es.nodes.filter((n) => n.startsWith('http://'));
  if (instance.es.auth.type !== 'none' && plainNodes.length > 0) {
    warnings.push({
      code: 'es-plaintext-credentials',
      message: `Instance "${instance.id}" sends Elasticsearch credentials over plain http:// to ${plainNodes.join(', ')}.`,
    });
  }
  if (instance.tmsUrl?.startsWith('http://')) {
    warnings.push({
      code: 'tms-plaintext',
      message: `Instance "${instance.id}" sends its TMS API key over plain http:// (${instance.tmsUrl}).`,
    });
  }
  return warnings;
}

/**
 * Warnings that need the keychain's answer: an Elasticsearch auth whose secret is not stored (an
 * instance whose password was taken out of a URL in config.json and could not go to the keychain).
 */
export function secretWarnings(instance: Instance, presence: SecretPresence): InstanceWarning[] {
  const kind =
    instance.es.auth.type === 'basic' ? 'es-password' : instance.es.auth.type === 'apiKey' ? 'es-api-key' : null;
  if (!kind || presence[kind]) return [];
  const field = kind === 'es-password' ? 'Elasticsearch password' : 'Elasticsearch API key';
  return [
    {
      code: 'es-secret-missing',
      message: `Instance "${instance.id}" uses Elasticsearch ${instance.es.auth.type} auth but no ${kind} is stored in the keychain: enter it in the ${field} field.`,
    },
  ];
}

export function summarize(instance: Instance): InstanceSummary {
  return { instance, tlsVerifyOff: !instance.es.tls.verify, warnings: instanceWarnings(instance) };
}

export function presenceFrom(accounts: Set<string>, id: string): SecretPresence {
  const presence = {} as SecretPresence;
  for (const kind of SECRET_KINDS) presence[kind] = accounts.has(accountFor.instanceSecret(id, kind));
  return presence;
}
