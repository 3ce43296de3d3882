/**
 * Checks on the replies of a snapshot: their shape (else the server is not Elasticsearch), the
 * product and version, and whether nodes or indices changed since cached facts or sizes were read.
 */
import type { z } from 'zod';
import { ConsoleError } from '../../../shared/errors/errors';
import type { Instance } from '../../../shared/instances/instance';
import { assertElasticsearchProduct, assertSupportedEsVersion, type RequestMeter } from '../es-client';
import { nodesInfoSchema, type HealthReply, type nodesStatsSchema } from './replies';
import { lowestVersion } from './snapshot';

/**
 * Not Elasticsearch explains every other failure; then an unsupported version explains the rest.
 * `nodesInfo` is the nodes info reply, or undefined when it failed.
 */
export function assertProductAndVersion(nodesInfo: unknown, meter: RequestMeter, instance: Instance): void {
  const nodes = nodesInfo === undefined ? undefined : nodesInfoSchema.safeParse(nodesInfo);
  if (nodes?.success) {
    const version = lowestVersion(Object.values(nodes.data.nodes).map((n) => n.version));
    assertElasticsearchProduct(meter, version, instance);
    assertSupportedEsVersion(version, instance);
  } else if (meter.withoutProductHeader > 0) {
    assertElasticsearchProduct(meter, 'unknown', instance);
  }
}

/** When each node started, from its own clock and uptime; null when a node does not say (then nothing is cached). */
export function nodeStarts(stats: z.infer<typeof nodesStatsSchema>): Map<string, number> | null {
  const started = new Map<string, number>();
  for (const [id, node] of Object.entries(stats.nodes)) {
    const uptime = node.jvm.uptime_in_millis;
    if (node.timestamp === undefined || uptime === undefined) return null;
    started.set(id, node.timestamp - uptime);
  }
  return started;
}

/** Start times within this of each other are the same start (the two figures are sampled apart). */
const START_TOLERANCE_MS = 2_000;

/** The same nodes, none restarted since. */
export function sameStarts(before: ReadonlyMap<string, number>, now: ReadonlyMap<string, number> | null): boolean {
  if (now === null || now.size !== before.size) return false;
  for (const [id, at] of now) {
    const was = before.get(id);
    if (was === undefined || Math.abs(was - at) > START_TOLERANCE_MS) return false;
  }
  return true;
}

/** Whether health lists exactly the indices it listed when the sizes were read (`before`). */
export function sameNames(before: HealthReply, health: HealthReply): boolean {
  const now = Object.keys(health.indices);
  return now.length === Object.keys(before.indices).length && now.every((n) => before.indices[n] !== undefined);
}

function notElasticsearch(instance: Instance, what: string): ConsoleError {
  return new ConsoleError(
    'es-not-elasticsearch',
    `Instance "${instance.name}": the ${what} response is not what Elasticsearch sends; check the node URL.`,
    { instanceId: instance.id },
  );
}

/** A reply read by hand (replies.ts), or es-not-elasticsearch when the reader found it of another shape. */
export function read<T>(value: T | null, instance: Instance, what: string): T {
  if (value !== null) return value;
  throw notElasticsearch(instance, what);
}

/** A reply checked against its schema, or es-not-elasticsearch. */
export function parse<T>(schema: z.ZodType<T>, value: unknown, instance: Instance, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw notElasticsearch(instance, what);
}
