/**
 * tenantctl's words for an error's remedy (shared/errors/errors.ts REMEDIES): the flag or command that does
 * it. The window words the same remedies with its own controls (renderer/lib/remedies.ts).
 */
import type { Remedy } from '../../shared/errors/errors';

export const CLI_REMEDIES: Record<Remedy, string> = {
  'force-delete-tenant': 'Give --force to delete it anyway.',
  'force-remove-instance': 'Give --force to remove it with its tenant records and their tokens.',
  'capacity-override': 'Give --override-reason <text> to create it anyway (the reason is recorded and audited).',
  reconcile: 'Run "tenantctl tenants reconcile" to see what disagrees.',
  'reconcile-repair': 'Run "tenantctl tenants reconcile --repair" to finish it.',
  'adopt-tenant':
    'Adopt it instead: "tenantctl tenants adopt <instance> <tenant> --domain <its API domain>" (see "tenantctl tenants discover <instance>").',
  'rotate-token':
    'Run "tenantctl tenants rotate <instance> <tenant>" to issue a new token that you hold (the old one stops working).',
  'set-version-profile':
    'Set the version it reports: "tenantctl instances update <instance> --version <profile>" (see "tenantctl instances test <instance>").',
  'discover-tenants': 'See "tenantctl tenants discover <instance>" for what the instance holds.',
  'set-single-tenant-name':
    'Set it first: "tenantctl instances update <instance> --tenant-name <tenant>", then adopt again.',
  'allow-outside-suffix': 'If its DNS points at the instance on purpose, give --outside-suffix.',
};

/**
 * The message with tenantctl's words for its remedy, when it has one; `<instance>` and `<tenant>`
 * filled in when the error names them (a command to copy as is).
 */
export function withCliRemedy(error: {
  message: string;
  remedy?: Remedy;
  instanceId?: string;
  tenant?: string;
}): string {
  if (!error.remedy) return error.message;
  let words = CLI_REMEDIES[error.remedy];
  if (error.instanceId) words = words.replaceAll('<instance>', error.instanceId);
  if (error.tenant) words = words.replaceAll('<tenant>', error.tenant);
  return `${error.message} ${words}`;
}
