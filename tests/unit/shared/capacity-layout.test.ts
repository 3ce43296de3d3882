import { describe, expect, it } from 'vitest';
import {
  growthNote,
  measureLayout,
  shardsPerTenantNote,
  type LayoutIndex,
} from '../../../shared/capacity/capacity-layout';
import { parseIndexName } from '../../../shared/instances/index-naming';

const ix = (name: string, pri = 3, rep = 1): LayoutIndex => {
  const parsed = parseIndexName(name);
  if (parsed === null) throw new Error(`not a tenant index: ${name}`);
  return { parsed, pri, rep };
};
const NOV_15 = Date.UTC(2026, 10, 15);
const fallback = { indexShards: 3, confShards: 1, replicas: 1, dataNodes: 3 };
const period = (l: ReturnType<typeof measureLayout>, type: string) => l.partitions.find((p) => p.type === type);

describe('measureLayout', () => {
  it('reads each type’s period off its suffixes; types without a partition keep the version default', () => {
    const l = measureLayout(
      [
        ix('0820.acme.tracardi-event-2026-11'),
        ix('prod-0820.acme.tracardi-profile-2026-q4'),
        ix('0820.acme.tracardi-item-2026-year', 1),
        ix('0820.acme.tracardi-flow', 1),
      ],
      '0.8.x',
      NOV_15,
      fallback,
    );
    expect(period(l, 'event')).toMatchObject({ period: 'month', basis: 'measured', partitions: 1 });
    expect(period(l, 'profile')).toMatchObject({ period: 'quarter', basis: 'measured' });
    expect(period(l, 'item')).toMatchObject({ period: 'year', basis: 'measured', env: 'ITEM_PARTITIONING' });
    expect(period(l, 'user-log')).toMatchObject({ period: 'year', basis: 'assumed', partitions: 0 });
    expect(period(l, 'session')).toMatchObject({ period: 'quarter', basis: 'assumed' });
    expect(l.tenants).toBe(1);
  });

  it('an operator override beats the default: event by quarter on 0.8.2', () => {
    const l = measureLayout([ix('0820.acme.tracardi-event-2026-q4')], '0.8.x', NOV_15, fallback);
    expect(period(l, 'event')).toMatchObject({ period: 'quarter', defaultPeriod: 'month', basis: 'measured' });
  });

  it('the partitions covering now decide, not stale ones of an older setting', () => {
    // monthly until September, quarterly since October; an idle tenant still has only monthly ones
    const l = measureLayout(
      [
        ix('0820.acme.tracardi-event-2026-8'),
        ix('0820.acme.tracardi-event-2026-9'),
        ix('0820.acme.tracardi-event-2026-q4'),
        ix('0820.idle.tracardi-event-2026-3'),
      ],
      '0.8.x',
      NOV_15,
      fallback,
    );
    expect(period(l, 'event')).toMatchObject({ period: 'quarter', mixed: false, partitions: 4 });
  });

  it('without a partition covering now, the newest decide; disagreeing current ones give the finest', () => {
    const idle = measureLayout(
      [ix('09x.acme.tracardi-log-2025-year'), ix('09x.acme.tracardi-log-2024-3')],
      '0.9.x',
      NOV_15,
      fallback,
    );
    expect(period(idle, 'log')).toMatchObject({ period: 'year', basis: 'measured' });
    const mixed = measureLayout(
      [ix('09x.a.tracardi-log-2026-year'), ix('09x.b.tracardi-log-2026-11')],
      '0.9.x',
      NOV_15,
      fallback,
    );
    expect(period(mixed, 'log')).toMatchObject({ period: 'month', mixed: true });
  });

  it('reads day-or-finer 0.9 suffixes', () => {
    const l = measureLayout([ix('09x.acme.tracardi-log-2026-1115')], '0.9.x', NOV_15, fallback);
    expect(period(l, 'log')).toMatchObject({ period: 'day', basis: 'measured' });
  });

  it('shards per class and replicas from the current indices, most frequent wins; else the fallback', () => {
    const l = measureLayout(
      [
        ix('0820.a.tracardi-event-2026-11', 5, 0),
        ix('0820.b.tracardi-event-2026-11', 5, 0),
        ix('0820.c.tracardi-event-2026-11', 2, 0),
        ix('0820.a.tracardi-event-2026-10', 9, 0), // old partition: an older setting, not counted
        ix('0820.a.tracardi-flow', 2, 0),
      ],
      '0.8.x',
      NOV_15,
      fallback,
    );
    expect(l.indexShards).toEqual({ value: 5, basis: 'measured' });
    expect(l.confShards).toEqual({ value: 2, basis: 'measured' });
    expect(l.replicas).toEqual({ value: 0, basis: 'measured' });
    expect(shardsPerTenantNote(l)).toEqual({ basis: 'measured', assumed: [] });
    const g = growthNote(l);
    expect(g.basis).toBe('partly measured');
    expect(g.assumed).toContain('profile by quarter (PROFILE_PARTITIONING default)');
    expect(g.assumed).not.toContain('event by month (EVENT_PARTITIONING default)');

    const none = measureLayout([], '0.8.x', NOV_15, { ...fallback, dataNodes: 1 });
    // Tracardi creates no replicas on a single data node
    expect(none.replicas).toEqual({ value: 0, basis: 'assumed' });
    expect(shardsPerTenantNote(none).basis).toBe('assumed');
  });

  it('ignores the other version’s indices and unknown types', () => {
    const l = measureLayout(
      [ix('0820.acme.tracardi-event-2026-q4'), ix('09x.acme.tracardi-mystery-2026-11', 7)],
      '0.9.x',
      NOV_15,
      fallback,
    );
    expect(l.tenants).toBe(0);
    expect(l.partitions.every((p) => p.basis === 'assumed')).toBe(true);
    expect(l.indexShards.basis).toBe('assumed');
  });
});
