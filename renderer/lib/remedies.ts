/**
 * The window's words for an error's remedy (shared/errors/errors.ts REMEDIES): the control that does it
 * here, never a tenantctl flag. tenantctl words the same remedies with its flags (main/cli/remedies.ts).
 */
import type { Remedy } from '../../shared/errors/errors';

export const UI_REMEDIES: Record<Remedy, string> = {
  'force-delete-tenant': 'Tick Force in the Delete dialog to delete it anyway.',
  'force-remove-instance': 'Tick Force in the Remove dialog to remove it with its tenant records and their tokens.',
  'capacity-override': 'Write a Capacity override reason in the New tenant form to create it anyway.',
  reconcile: 'Use Run repair to settle what the records, the keychain and the TMS disagree on.',
  'reconcile-repair': 'Use Run repair to finish it.',
  'adopt-tenant': 'Adopt it instead: Found on instance (in the navigation, or on its Instance screen) lists it.',
  'rotate-token': 'Use Rotate token to issue a new token that you hold (the old one stops working).',
  'set-version-profile':
    'Set its version to the one it reports with the Use button under “Tracardi version” on its Fleet card or Instance screen.',
  'discover-tenants': 'Found on instance (in the navigation, or on its Instance screen) lists what the instance holds.',
  'set-single-tenant-name':
    'Set the instance’s Tenant name (TENANT_NAME) in its Instances form first, then adopt again.',
  'allow-outside-suffix':
    'If its DNS points at this instance on purpose, tick “Outside the suffix on purpose” in the New tenant form.',
};

/** Remedies the window offers a button for, next to the error (Run repair). */
export function offersRepair(remedy: Remedy | undefined): boolean {
  return remedy === 'reconcile' || remedy === 'reconcile-repair';
}

/** The message with the window's words for its remedy, when it has one. */
export function withUiRemedy(message: string, remedy: Remedy | undefined): string {
  return remedy ? `${message} ${UI_REMEDIES[remedy]}` : message;
}
