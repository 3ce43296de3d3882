/**
 * What `config.json` holds: its zod schema (settingsFileSchema, preferences), the current schema
 * version and the migrations that bring an older file up to it. No I/O here.
 */
import { z } from 'zod';
import { instanceSchema } from '../../../shared/instances/instance';
import { DEFAULT_NOTIFICATION_CHOICE, NOTIFICATION_CHOICES } from '../../../shared/watch/notification-choice';
import { MAX_EMAIL_CHARS, MAX_OPERATOR_NAME_CHARS } from '../../../shared/team/operator';
import { isRecord } from './helpers';

export const SETTINGS_SCHEMA_VERSION = 1;
export const SETTINGS_FILE_NAME = 'config.json';

export const THEMES = ['system', 'light', 'dark'] as const;

export const preferencesSchema = z.object({
  /** Seconds before a copied token is cleared from the clipboard (0: never). */
  clipboardClearSeconds: z.number().int().min(0).max(3600).default(30),
  theme: z.enum(THEMES).default('system'),
});
export type Preferences = z.infer<typeof preferencesSchema>;

/** The watch's schedule (main/services/watch): every shell reads and changes it here. */
export const watchSettingsSchema = z.object({
  /** Minutes between two rounds. */
  intervalMinutes: z.number().int().min(1).max(1440).default(15),
  /** The operator paused the schedule ("Run now" still runs a round). */
  paused: z.boolean().default(false),
  /** Which changes become desktop notifications (shared/watch/notification-choice.ts). Added without a migration. */
  notifications: z.enum(NOTIFICATION_CHOICES).default(DEFAULT_NOTIFICATION_CHOICE),
});
export type WatchSettings = z.infer<typeof watchSettingsSchema>;

/** The operator's chosen name and e-mail (shared/team/operator.ts has the rules the input passes). */
export const operatorSettingsSchema = z.object({
  name: z.string().max(MAX_OPERATOR_NAME_CHARS).optional(),
  email: z.string().max(MAX_EMAIL_CHARS).optional(),
});
export type OperatorSettings = z.infer<typeof operatorSettingsSchema>;

/**
 * The whole file. Unknown top-level keys are kept (looseObject) so nothing another writer put there
 * (electron-store's `__internal__`, say) is dropped on the next write.
 */
export const settingsFileSchema = z
  .looseObject({
    schemaVersion: z.number().int().min(0),
    instances: z.array(instanceSchema).default([]),
    /** Tenant records: shape owned by the tenants service (shared/tenants/tenant.ts); kept as is here. */
    tenants: z.array(z.unknown()).default([]),
    preferences: preferencesSchema.default({ clipboardClearSeconds: 30, theme: 'system' }),
    /** Journal of multi-step operations: shape owned by its service; kept as is here. */
    journal: z.array(z.unknown()).default([]),
    /** Added without a migration: a file without it reads as the default schedule. */
    watch: watchSettingsSchema.default({
      intervalMinutes: 15,
      paused: false,
      notifications: DEFAULT_NOTIFICATION_CHOICE,
    }),
    /**
     * Who sits at this console (main/services/operator), set once; absent fields read as the default
     * (OS user at host name, no e-mail). Added without a migration.
     */
    operator: operatorSettingsSchema.default({}),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.instances.forEach((instance, i) => {
      if (seen.has(instance.id))
        ctx.addIssue({
          code: 'custom',
          path: ['instances', i, 'id'],
          message: `duplicate instance id "${instance.id}"`,
        });
      seen.add(instance.id);
    });
  });
export type SettingsFile = z.infer<typeof settingsFileSchema>;

/** One step: turns a file at version `from` into one at `from + 1` (pure, no I/O). */
export interface SettingsMigration {
  from: number;
  migrate(data: Record<string, unknown>): Record<string, unknown>;
}

/** The console's migrations, in order. Add one (and bump SETTINGS_SCHEMA_VERSION) per change. */
export const SETTINGS_MIGRATIONS: readonly SettingsMigration[] = [
  {
    // v0: a file without schemaVersion (written before versioning, or an empty electron-store file).
    from: 0,
    migrate: (data) => ({
      ...data,
      schemaVersion: 1,
      instances: Array.isArray(data.instances) ? data.instances : [],
      tenants: Array.isArray(data.tenants) ? data.tenants : [],
      preferences: {
        clipboardClearSeconds: 30,
        theme: 'system',
        ...(isRecord(data.preferences) ? data.preferences : {}),
      },
      journal: Array.isArray(data.journal) ? data.journal : [],
    }),
  },
];
