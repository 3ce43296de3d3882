/**
 * The index browser's call (`instances.indices`): an instance's indices matching a pattern, or a
 * tenant's (`*.<tenant>.tracardi-*`, every index, alias and template name of it in both Tracardi
 * versions), with health, documents and size, and the aliases and templates of the same pattern.
 * Read-only, bounded: at most `limit` indices come back, and the reply says how many matched.
 */
import { z } from 'zod';
import { instanceIdSchema } from './instance';

export const DEFAULT_INDEX_LIMIT = 500;
export const MAX_INDEX_LIMIT = 2000;
/** Aliases and templates listed at most (a tenant has a few dozen). */
export const MAX_INDEX_NAMES = 1000;

/** Letters, digits and `* . _ + -`, no leading `-` (Elasticsearch reads that as "exclude"), no comma (one pattern). */
export const INDEX_PATTERN_RE = /^[a-z0-9*._+][a-z0-9*._+-]{0,199}$/;
const TENANT_RE = /^[a-z0-9]{3,40}$/;

/** Every index, alias and template name of a tenant, in either Tracardi version (shared/instances/index-naming.ts). */
export function tenantPattern(tenant: string): string {
  return `*.${tenant}.tracardi-*`;
}

export const indexListingArgsSchema = z
  .object({
    id: instanceIdSchema,
    tenant: z.string().regex(TENANT_RE, 'not a tenant name').optional(),
    pattern: z
      .string()
      .regex(INDEX_PATTERN_RE, 'an index pattern is letters, digits and * . _ + - (no comma, not starting with -)')
      .optional(),
    limit: z.number().int().min(1).max(MAX_INDEX_LIMIT).default(DEFAULT_INDEX_LIMIT),
  })
  .strict()
  .refine((a) => (a.tenant === undefined) !== (a.pattern === undefined), {
    message: 'name either a tenant or an index pattern',
  });
export type IndexListingArgs = z.input<typeof indexListingArgsSchema>;

const count = z.number().int().nonnegative();

export const indexRowSchema = z.object({
  name: z.string(),
  /** green, yellow or red; null for a closed index. */
  health: z.string().nullable(),
  /** open or close. */
  status: z.string().nullable(),
  docs: count.nullable(),
  /** Store size with replicas, bytes. */
  sizeBytes: count.nullable(),
  primaries: count.nullable(),
  replicas: count.nullable(),
});
export type IndexRow = z.infer<typeof indexRowSchema>;

export const indexListingSchema = z.object({
  instanceId: z.string(),
  pattern: z.string(),
  /** Sorted by name; at most the limit asked for. */
  indices: z.array(indexRowSchema),
  /** How many indices matched (more than `indices` holds when truncated). */
  total: count,
  truncated: z.boolean(),
  aliases: z.array(z.object({ alias: z.string(), index: z.string() })),
  templates: z.array(z.string()),
  /** Requests sent to the instance's Elasticsearch. */
  esRequests: count,
});
export type IndexListing = z.infer<typeof indexListingSchema>;
