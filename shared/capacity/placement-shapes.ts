/**
 * What a placement answers (schemas first: the contract checks `capacity.place` results with them;
 * the types are inferred). The ranking itself is in placement.ts.
 */
import { z } from 'zod';
import { capacityForecastSchema } from './capacity-forecast';
import { ENVIRONMENTS, TRACARDI_VERSIONS, type Environment } from '../instances/instance';

/** Most tenants one placement run spreads (`--count`, the contract's `count`). */
export const MAX_PLACEMENT_COUNT = 1000;

/**
 * An instance whose forecast falls under this many months once the tenant is placed ranks after
 * every instance with a longer runway (it is not refused: it still has room today).
 */
export const SHORT_RUNWAY_MONTHS = 3;

/**
 * The environment a new tenant is placed for when none is named: production. Instances of another
 * environment are never ranked with it (a sandbox with the same room is not as good a home).
 */
export const DEFAULT_PLACEMENT_ENVIRONMENT: Environment = 'production';

export const REFUSAL_KINDS = ['unreachable', 'red', 'watermark', 'full'] as const;
export type RefusalKind = (typeof REFUSAL_KINDS)[number];

/** Which instance a figure or a refusal is about: its id, display name and environment. */
const instanceRefSchema = z.object({ instanceId: z.string(), name: z.string(), environment: z.enum(ENVIRONMENTS) });

/** One instance's figures once `placed` tenants are placed on it (the one being ranked included). */
export const placementFiguresSchema = instanceRefSchema.extend({
  /** Tenants placed on it in this run (ranking: 1, the tenant being placed). */
  placed: z.number(),
  /** How many more tenants fit after the placed ones, and which limit binds. */
  roomAfter: z.number(),
  binding: z.enum(['shards', 'disk']),
  shardHeadroomAfter: z.number(),
  shardLimit: z.number(),
  /** Bytes left below the low watermark after placement; null when a tenant's size is unknown. */
  diskHeadroomAfterBytes: z.number().nullable(),
  /** Used bytes of the data nodes after placement (null: tenant size unknown) and their total. */
  diskUsedAfterBytes: z.number().nullable(),
  diskTotalBytes: z.number(),
  /**
   * Whole months until growth reaches a limit after placement (the sooner of shards and, when the
   * growth figures give disk growth, disk); null when nothing grows.
   */
  monthsToLimit: z.number().nullable(),
  /** Which limit the months are counted to. */
  monthsLimit: z.enum(['shards', 'disk']),
  /** Fewer than SHORT_RUNWAY_MONTHS months: ranked after the others. */
  shortRunway: z.boolean(),
  /** Where the growth figures came from (the capacity layout today, a measured history later). */
  growthSource: z.string(),
  /**
   * The instance's capacity forecast as it is now (before placement): the one every screen shows
   * (shared/capacity/forecast-text.ts writes it).
   */
  forecast: capacityForecastSchema,
  /** One line: why it ranks where it does. */
  why: z.string(),
});
export type PlacementFigures = z.infer<typeof placementFiguresSchema>;

/** An instance no tenant goes to: which limit or failure, and one line that says why. */
export const placementRefusalSchema = instanceRefSchema.extend({ kind: z.enum(REFUSAL_KINDS), reason: z.string() });
export type PlacementRefusal = z.infer<typeof placementRefusalSchema>;

export const placementReportSchema = z.object({
  version: z.enum(TRACARDI_VERSIONS),
  /** The environment the tenant is placed for: only its instances are ranked. */
  environment: z.enum(ENVIRONMENTS),
  /** One line: which instances were compared and why the others were not. */
  reason: z.string(),
  /** Tenants asked for. */
  count: z.number(),
  /** The next single tenant's ranking among the instances of `environment`, best first (the dialog pre-selects the first). */
  ranking: z.array(placementFiguresSchema),
  /**
   * Instances of the other environments that could take it, never compared with the ranking: each
   * environment ranked among its own, in ENVIRONMENTS order, each line saying it is not compared.
   */
  elsewhere: z.array(placementFiguresSchema),
  refused: z.array(placementRefusalSchema),
  /** Where `count` tenants go, placed one by one by the same ranking: instances with a share, most first. */
  spread: z.array(placementFiguresSchema),
  /** Tenants the fleet has no room for. */
  unplaced: z.number(),
});
export type PlacementReport = z.infer<typeof placementReportSchema>;
