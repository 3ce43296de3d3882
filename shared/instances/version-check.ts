/**
 * Does an instance run the Tracardi version its profile says? The profile fixes every index name,
 * the footprint a tenant costs and what verification expects, so a 0.8.x profile on an instance that
 * reports 0.9.0-rc5 (or the reverse) gets all of them wrong. Pure: main asks the instance
 * (`GET /info/version/details`), every shell shows this one result (`instances.versionCheck`).
 */
import { z } from 'zod';
import { consoleErrorDataSchema } from '../errors/error-data';
import { TRACARDI_VERSIONS, type TracardiVersion } from './instance';
import { versionOfDbVersion } from './version-profiles';

export const VERSION_CHECK_OUTCOMES = ['match', 'mismatch', 'unknown-version', 'could-not-tell'] as const;

export const versionCheckSchema = z.object({
  instanceId: z.string(),
  /** The instance's version profile in the settings. */
  registered: z.enum(TRACARDI_VERSIONS),
  /**
   * `mismatch`: it reports another profile's version (the one-step fix sets `reported.profile`);
   * `unknown-version`: a version no profile fits; `could-not-tell`: no usable answer.
   */
  outcome: z.enum(VERSION_CHECK_OUTCOMES),
  /** What it answered; null when it did not answer. */
  reported: z
    .object({
      version: z.string().nullable(),
      dbVersion: z.string().nullable(),
      /** The profile those fit, null when none does. */
      profile: z.enum(TRACARDI_VERSIONS).nullable(),
    })
    .nullable(),
  /** One line naming both versions (or why it could not tell). */
  message: z.string(),
  error: consoleErrorDataSchema.optional(),
});
export type VersionCheck = z.infer<typeof versionCheckSchema>;

/** What `GET /info/version/details` said of the version, as the Tracardi client reads it. */
export interface ReportedVersion {
  version: string | null;
  dbVersion: string | null;
}

/**
 * The profile a reported version fits. db_version decides (it is the prefix of every index name:
 * a 1.0.x fork keeps `09x` and is a 0.9.x instance to the console); the release's family
 * (`0.9.0-rc5` -> `0.9.x`) only when the answer has no db_version.
 */
export function profileOfReport(report: ReportedVersion): TracardiVersion | null {
  if (report.dbVersion !== null) return versionOfDbVersion(report.dbVersion);
  const m = report.version === null ? null : /^(\d+)\.(\d+)(?:[.-]|$)/.exec(report.version.trim());
  const family = m ? `${m[1]}.${m[2]}.x` : null;
  return (TRACARDI_VERSIONS as readonly string[]).includes(family ?? '') ? (family as TracardiVersion) : null;
}

/** `Tracardi 0.9.0-rc5 (db_version 09x)`: what an instance reported, for messages. */
export function describeReport(report: ReportedVersion): string {
  return `Tracardi ${report.version ?? '(no version)'} (db_version ${report.dbVersion ?? '?'})`;
}

/** The check's result for an instance registered as `registered` that answered `report`. */
export function compareVersion(
  instanceId: string,
  registered: TracardiVersion,
  report: ReportedVersion,
): Omit<VersionCheck, 'error'> {
  if (report.version === null && report.dbVersion === null)
    return {
      instanceId,
      registered,
      outcome: 'could-not-tell',
      reported: null,
      message: 'Its answer names no Tracardi version.',
    };
  const profile = profileOfReport(report);
  const reported = { ...report, profile };
  const said = describeReport(report);
  if (profile === null)
    return {
      instanceId,
      registered,
      outcome: 'unknown-version',
      reported,
      message: `It reports ${said}, which no version profile fits (${TRACARDI_VERSIONS.join(', ')}); it is registered as ${registered}.`,
    };
  if (profile !== registered)
    return {
      instanceId,
      registered,
      outcome: 'mismatch',
      reported,
      message: `It reports ${said}, the ${profile} profile, but is registered as ${registered}: its capacity, index names and verification are read as ${registered}'s.`,
    };
  return {
    instanceId,
    registered,
    outcome: 'match',
    reported,
    message: `It reports ${said}, as its ${registered} profile says.`,
  };
}
