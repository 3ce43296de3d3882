// The watch's change detection (shared/watch/watch-detect.ts): only changes are reported, the first round
// reports present problems once, an unreachable instance is one change (not every tenant drifting),
// deleted tenants and removed instances are forgotten, flapping goes quiet and settles.
import { describe, expect, it } from 'vitest';
import type { VerifyStatus } from '../../../shared/tenants/tenant';
import {
  detectChanges,
  FLAP_CHANGES,
  FLAP_WINDOW,
  limitValues,
  type InstanceLimits,
  type RoundInput,
  type WatchBaseline,
} from '../../../shared/watch/watch-detect';
import { describeChange, parseIntervalMinutes } from '../../../shared/watch/watch-text';

const healthy: InstanceLimits = {
  shardsOpen: 100,
  shardLimit: 1000,
  disk: { level: 'ok', node: 'es1', usedShare: 0.4 },
  monthsUntilShardLimit: 40,
};

function round(
  tenants: Record<string, VerifyStatus>,
  over: Partial<RoundInput> & { limits?: Record<string, InstanceLimits> } = {},
): RoundInput {
  const instances = over.instances ?? [
    { id: 'eu1', name: 'EU 1' },
    { id: 'us1', name: 'US 1' },
  ];
  const results = Object.entries(tenants).map(([key, status]) => {
    const [instanceId, tenant] = key.split('/') as [string, string];
    return { instanceId, tenant, status, summary: `${tenant} is ${status}` };
  });
  return {
    instances,
    results,
    instanceErrors: over.instanceErrors ?? [],
    capacity:
      over.capacity ??
      instances.map((i) => ({ instanceId: i.id, ok: true as const, limits: over.limits?.[i.id] ?? healthy })),
  };
}

/** Runs rounds in order, returning each round's changes. */
function run(inputs: RoundInput[], start: WatchBaseline | null = null) {
  let baseline = start;
  return inputs.map((input, i) => {
    const out = detectChanges(baseline, input, `2026-01-01T00:${String(i).padStart(2, '0')}:00.000Z`);
    baseline = out.baseline;
    return out;
  });
}

const fine = { 'eu1/shop': 'installed', 'eu1/blog': 'installed', 'us1/acme': 'installed' } as const;

describe('watch change detection: baseline', () => {
  it('a healthy first round reports nothing and stores every subject', () => {
    const [first] = run([round(fine)]);
    expect(first!.changes).toEqual([]);
    expect(first!.problems).toBe(0);
    expect(Object.keys(first!.baseline.subjects).sort()).toEqual(
      [
        'disk:eu1',
        'disk:us1',
        'forecast:eu1',
        'forecast:us1',
        'instance:eu1',
        'instance:us1',
        'shards:eu1',
        'shards:us1',
        'tenant:eu1/blog',
        'tenant:eu1/shop',
        'tenant:us1/acme',
      ].sort(),
    );
  });

  it('problems present at the first round are reported once, noted baseline, and not again', () => {
    const bad = round(
      { ...fine, 'eu1/shop': 'drift', 'us1/acme': 'registered' },
      { limits: { us1: { ...healthy, shardsOpen: 850 } } },
    );
    const [first, second] = run([bad, bad]);
    expect(first!.changes.map((c) => [c.subject, c.from, c.to, c.note, c.severity])).toEqual([
      ['US 1 shard use', null, 'crossed', 'baseline', 'problem'],
      ['shop on EU 1', null, 'drift', 'baseline', 'problem'],
    ]);
    expect(first!.problems).toBe(2);
    expect(second!.changes).toEqual([]);
    expect(second!.problems).toBe(2);
  });
});

describe('watch change detection: changes', () => {
  it('reports a verdict change and its way back, with severity', () => {
    const [, down, back] = run([round(fine), round({ ...fine, 'eu1/shop': 'drift' }), round(fine)]);
    expect(down!.changes).toHaveLength(1);
    expect(down!.changes[0]).toMatchObject({
      kind: 'tenant',
      instanceId: 'eu1',
      tenant: 'shop',
      from: 'installed',
      to: 'drift',
      severity: 'problem',
      notify: true,
      detail: 'shop is drift',
    });
    expect(describeChange({ id: 1, ...down!.changes[0]! })).toBe('shop on EU 1: installed -> drift - shop is drift');
    expect(back!.changes.map((c) => [c.from, c.to, c.severity])).toEqual([['drift', 'installed', 'recovered']]);
  });

  it('reports each limit crossing: 80% of the shard limit, a disk watermark, the forecast under 3 months', () => {
    const crossed: InstanceLimits = {
      shardsOpen: 800,
      shardLimit: 1000,
      disk: { level: 'high', node: 'es2', usedShare: 0.91 },
      monthsUntilShardLimit: 2,
    };
    expect(limitValues(crossed)).toEqual({ shards: 'crossed', disk: 'high', forecast: 'crossed' });
    expect(limitValues({ ...crossed, shardsOpen: 799, monthsUntilShardLimit: 3 })).toMatchObject({
      shards: 'ok',
      forecast: 'ok',
    });
    expect(limitValues({ ...healthy, monthsUntilShardLimit: null }).forecast).toBe('ok');
    const [, worse, flood, better] = run([
      round(fine),
      round(fine, { limits: { eu1: crossed } }),
      round(fine, { limits: { eu1: { ...crossed, disk: { level: 'flood', node: 'es2', usedShare: 0.96 } } } }),
      round(fine),
    ]);
    expect(worse!.changes.map((c) => [c.kind, c.from, c.to, c.severity])).toEqual([
      ['shards', 'ok', 'crossed', 'problem'],
      ['disk', 'ok', 'high', 'problem'],
      ['forecast', 'ok', 'crossed', 'problem'],
    ]);
    expect(worse!.changes[0]!.detail).toBe('800 of 1000 shards open (80%; the line is 80%)');
    expect(worse!.changes[1]!.detail).toBe('node es2 91% used (high watermark)');
    expect(worse!.changes[2]!.detail).toContain('2 months to the shard limit');
    expect(flood!.changes.map((c) => [c.kind, c.from, c.to, c.severity])).toEqual([
      ['disk', 'high', 'flood', 'problem'],
    ]);
    expect(better!.changes.map((c) => [c.kind, c.to, c.severity])).toEqual([
      ['shards', 'ok', 'recovered'],
      ['disk', 'ok', 'recovered'],
      ['forecast', 'ok', 'recovered'],
    ]);
  });
});

describe('watch change detection: outages, deletions, removals', () => {
  it('an unreachable instance is one change, not every tenant drifting; its return is one change', () => {
    const outage = round(
      { ...fine, 'eu1/shop': 'unreachable', 'eu1/blog': 'unreachable' },
      {
        instanceErrors: [{ instanceId: 'eu1', message: 'connect ECONNREFUSED' }],
        capacity: [
          { instanceId: 'eu1', ok: false, message: 'connect ECONNREFUSED' },
          { instanceId: 'us1', ok: true, limits: healthy },
        ],
      },
    );
    const [, down, stillDown, up] = run([round(fine), outage, outage, round(fine)]);
    expect(down!.changes.map((c) => [c.kind, c.subject, c.from, c.to])).toEqual([
      ['instance', 'EU 1', 'reachable', 'unreachable'],
    ]);
    expect(down!.changes[0]!.detail).toBe('connect ECONNREFUSED');
    // The tenants keep their last verdict while the instance is down.
    expect(down!.baseline.subjects['tenant:eu1/shop']!.value).toBe('installed');
    expect(stillDown!.changes).toEqual([]);
    expect(up!.changes.map((c) => [c.kind, c.from, c.to, c.severity])).toEqual([
      ['instance', 'unreachable', 'reachable', 'recovered'],
    ]);
  });

  it('every tenant of an instance unreachable (no listing error) counts as the instance being down', () => {
    const [, down] = run([round(fine), round({ ...fine, 'eu1/shop': 'unreachable', 'eu1/blog': 'unreachable' })]);
    expect(down!.changes.map((c) => [c.kind, c.to])).toEqual([['instance', 'unreachable']]);
  });

  it('one tenant unreachable on an answering instance is that tenant`s change', () => {
    const [, one] = run([round(fine), round({ ...fine, 'eu1/shop': 'unreachable' })]);
    expect(one!.changes.map((c) => [c.kind, c.tenant, c.to])).toEqual([['tenant', 'shop', 'unreachable']]);
  });

  it('a change that happened during the outage is reported when the instance answers again', () => {
    const outage = round(fine, { instanceErrors: [{ instanceId: 'eu1', message: 'timeout' }] });
    const [, , up] = run([round(fine), outage, round({ ...fine, 'eu1/blog': 'drift' })]);
    expect(up!.changes.map((c) => [c.kind, c.subject, c.to])).toEqual([
      ['instance', 'EU 1', 'reachable'],
      ['tenant', 'blog on EU 1', 'drift'],
    ]);
  });

  it('a deleted tenant is forgotten without a change; created again, it is a new subject', () => {
    const { 'eu1/blog': _gone, ...without } = fine;
    void _gone;
    const [, deleted, again] = run([
      round({ ...fine, 'eu1/blog': 'drift' }),
      round(without),
      round({ ...without, 'eu1/blog': 'registered' }),
    ]);
    expect(deleted!.changes).toEqual([]);
    expect(deleted!.baseline.subjects['tenant:eu1/blog']).toBeUndefined();
    expect(deleted!.problems).toBe(0);
    expect(again!.changes).toEqual([]);
    expect(again!.baseline.subjects['tenant:eu1/blog']!.value).toBe('registered');
  });

  it('a removed instance takes its subjects with it, silently', () => {
    const [first, removed] = run([
      round({ ...fine, 'us1/acme': 'drift' }),
      round({ 'eu1/shop': 'installed', 'eu1/blog': 'installed' }, { instances: [{ id: 'eu1', name: 'EU 1' }] }),
    ]);
    expect(first!.problems).toBe(1);
    expect(removed!.changes).toEqual([]);
    expect(removed!.problems).toBe(0);
    expect(Object.keys(removed!.baseline.subjects).filter((k) => k.includes('us1'))).toEqual([]);
  });

  it('limits the round could not measure keep their values (no change either way)', () => {
    const crossed = { ...healthy, shardsOpen: 900 };
    const [, failed, back] = run([
      round(fine, { limits: { eu1: crossed } }),
      round(fine, {
        capacity: [
          { instanceId: 'eu1', ok: false, message: 'Elasticsearch timed out' },
          { instanceId: 'us1', ok: true, limits: healthy },
        ],
      }),
      round(fine, { limits: { eu1: crossed } }),
    ]);
    expect(failed!.changes).toEqual([]);
    expect(failed!.baseline.subjects['shards:eu1']!.value).toBe('crossed');
    expect(back!.changes).toEqual([]);
  });
});

describe('watch change detection: flapping', () => {
  it(`${FLAP_CHANGES} changes within ${FLAP_WINDOW} rounds: one flapping entry, then quiet entries, then settled`, () => {
    const up = round(fine);
    const drift = round({ ...fine, 'eu1/shop': 'drift' });
    const rounds = [up, drift, up, drift, up, drift, ...Array.from({ length: FLAP_WINDOW }, () => drift)];
    const out = run(rounds);
    const notes = out.map((o) => o.changes.map((c) => `${c.from}->${c.to}${c.note ? `:${c.note}` : ''}:${c.notify}`));
    expect(notes.slice(0, 6)).toEqual([
      [],
      ['installed->drift:true'],
      ['drift->installed:true'],
      ['installed->drift:flapping:true'],
      ['drift->installed:quiet:false'],
      ['installed->drift:quiet:false'],
    ]);
    // Held still for FLAP_WINDOW rounds after the last change: settled, once.
    const settled = out.slice(6).flatMap((o) => o.changes);
    expect(settled).toHaveLength(1);
    expect(settled[0]).toMatchObject({ from: 'drift', to: 'drift', note: 'settled', notify: true });
    expect(out.at(-1)!.baseline.subjects['tenant:eu1/shop']!.flapping).toBe(false);
  });

  it('changes spread wider than the window are not flapping', () => {
    const up = round(fine);
    const drift = round({ ...fine, 'eu1/shop': 'drift' });
    const spread = [up, drift, up, up, up, up, up, up, drift, up, up, up, up, up, up, up, drift];
    const notes = run(spread).flatMap((o) => o.changes.map((c) => c.note ?? 'plain'));
    expect(notes).toEqual(['plain', 'plain', 'plain', 'plain', 'plain']);
  });
});

describe('watch interval parsing', () => {
  it('reads minutes, hours and whole-minute seconds; refuses the rest', () => {
    expect(parseIntervalMinutes('15m')).toBe(15);
    expect(parseIntervalMinutes('15')).toBe(15);
    expect(parseIntervalMinutes('2h')).toBe(120);
    expect(parseIntervalMinutes('120s')).toBe(2);
    expect(parseIntervalMinutes('90s')).toBeNull();
    expect(parseIntervalMinutes('0m')).toBeNull();
    expect(parseIntervalMinutes('25h')).toBeNull();
    expect(parseIntervalMinutes('soon')).toBeNull();
  });
});
