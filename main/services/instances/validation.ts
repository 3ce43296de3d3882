/**
 * Checking what an add or update is given: schema issues in one line, secrets that fit the
 * instance's auth, a patch merged into the current settings, and names compared for conflicts.
 */
import { X509Certificate } from 'node:crypto';
import { ConsoleError } from '../../../shared/errors/errors';
import { secretLengthProblem } from '../../../shared/text/input-rules';
import {
  SECRET_KINDS,
  type EsAuth,
  type Instance,
  type InstancePatch,
  type SecretKind,
} from '../../../shared/instances/instance';

/** Which secret kinds an auth type accepts; the TMS key goes with every instance. */
export const ES_SECRET_FOR_AUTH: Record<EsAuth['type'], SecretKind | null> = {
  none: null,
  basic: 'es-password',
  apiKey: 'es-api-key',
};

export function sameName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}

/** Refuse secrets the instance cannot use (e.g. an API key for basic auth) and empty ones. */
export function checkSecretsFit(instance: Instance, secrets: Partial<Record<SecretKind, string | null>>): void {
  for (const [kind, value] of Object.entries(secrets) as [string, string | null | undefined][]) {
    if (!(SECRET_KINDS as readonly string[]).includes(kind)) {
      throw new ConsoleError(
        'validation',
        `Unknown secret kind "${kind.slice(0, 40)}" (known: ${SECRET_KINDS.join(', ')}).`,
        { instanceId: instance.id },
      );
    }
    if (value === undefined || value === null) continue;
    if (value.length === 0)
      throw new ConsoleError('validation', `The ${kind} is empty; an empty secret is not stored.`, {
        instanceId: instance.id,
      });
    const tooLong = secretLengthProblem(`the ${kind}`, value);
    if (tooLong) throw new ConsoleError('validation', tooLong, { instanceId: instance.id });
    if (kind === 'tms-api-key') continue;
    const fits = ES_SECRET_FOR_AUTH[instance.es.auth.type];
    if (fits !== kind) {
      const expected = fits ? `only an ${fits}` : 'no Elasticsearch secret';
      throw new ConsoleError(
        'validation',
        `An ${kind} does not fit Elasticsearch auth "${instance.es.auth.type}" of instance "${instance.id}" (it takes ${expected}).`,
        { instanceId: instance.id },
      );
    }
  }
}

/** Merge into `es`, `es.tls` and `footprint` (auth is replaced whole), so a patch can change one field. */
export function mergePatch(current: Instance, patch: InstancePatch): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current, ...patch };
  if (patch.es !== undefined) {
    const es = patch.es;
    merged.es = {
      ...current.es,
      ...es,
      tls: es.tls !== undefined ? { ...current.es.tls, ...es.tls } : current.es.tls,
      auth: es.auth !== undefined ? es.auth : current.es.auth,
    };
  }
  if (patch.footprint !== undefined) merged.footprint = { ...current.footprint, ...patch.footprint };
  // null removes an optional field (a single-tenant instance drops its TMS URL, a tenant name is cleared).
  for (const [k, v] of Object.entries(patch)) if (v === null) delete merged[k];
  return merged;
}

/** Refuse a CA bundle whose PEM blocks are not certificates OpenSSL can read. */
export function checkCaPem(instance: Instance): void {
  const pem = instance.es.tls.caPem;
  if (pem === undefined) return;
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch {
      throw new ConsoleError(
        'validation',
        `Invalid instance: es.tls.caPem: certificate ${i + 1} of the CA bundle is not a readable X.509 certificate.`,
        { instanceId: instance.id },
      );
    }
  });
}
