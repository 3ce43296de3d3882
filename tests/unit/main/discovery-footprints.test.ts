// Discovery's pure parts: names → tenants with evidence (unrecognised look-alikes never become a
// tenant), and the tenancy the connection check reads from GET /info/version/details.
import { describe, expect, it } from 'vitest';
import { servedTenant } from '../../../shared/tenants/adoption';
import { instanceSchema } from '../../../shared/instances/instance';
import { detectTenancy } from '../../../main/services/connection-check';
import { readNames } from '../../../main/services/discovery';

const day = (d: string) => Date.parse(`${d}T00:00:00Z`);

describe('readNames', () => {
  it('groups 0.8.2 and 0.9 names by tenant and profile, with contexts, primaries, size and oldest index', () => {
    const read = readNames(
      [
        { name: '0820.acme.tracardi-event-2026-3', primaries: 3, sizeBytes: 100, created: day('2026-03-01') },
        { name: 'prod-0820.acme.tracardi-item-2025-year', primaries: 1, sizeBytes: 50, created: day('2025-01-02') },
        { name: 'static-0820.acme.tracardi-bridge', primaries: 1, sizeBytes: 5, created: null },
        { name: '09x.acme.tracardi-profile-2026-q1', primaries: 3, sizeBytes: 7, created: day('2026-01-01') },
        { name: 'prod-09x.beta.tracardi-log-2026-11', primaries: 1, sizeBytes: 1, created: day('2026-11-01') },
      ],
      ['acme.tracardi-event', 'prod-09x.beta.tracardi-log'],
      ['template.0820.acme.tracardi-event', 'prod-template.09x.beta.tracardi-log'],
    );
    expect([...read.footprints.keys()].sort()).toEqual(['acme', 'beta']);
    expect(read.footprints.get('acme')!.get('0.8.x')).toEqual({
      version: '0.8.x',
      contexts: ['staging', 'production', 'static'],
      indices: 3,
      aliases: 1,
      templates: 1,
      primaries: 5,
      sizeBytes: 155,
      oldestIndexCreated: '2025-01-02T00:00:00.000Z',
    });
    expect(read.footprints.get('acme')!.get('0.9.x')).toMatchObject({ contexts: ['staging'], indices: 1 });
    expect(read.footprints.get('beta')!.get('0.9.x')).toMatchObject({
      contexts: ['production'],
      aliases: 1,
      templates: 1,
    });
    expect(read.unrecognised).toEqual([]);
  });

  it('lists look-alikes as unrecognised, with why, and guesses no tenant from them', () => {
    const read = readNames(
      [
        { name: '0830.look.tracardi-event-2026-1', primaries: 1, sizeBytes: 1, created: null },
        { name: '09x.look.tracardi-gadget-2026-q1', primaries: 1, sizeBytes: 1, created: null },
        { name: 'static-09x.look.tracardi-bridge', primaries: 1, sizeBytes: 1, created: null },
        { name: '0820.look.tracardi-event', primaries: 1, sizeBytes: 1, created: null },
      ],
      ['look.tracardi-whatever'],
      ['template.0830.look.tracardi-event'],
    );
    expect(read.footprints.size).toBe(0);
    const why = Object.fromEntries(read.unrecognised.map((u) => [u.name, `${u.kind}: ${u.why}`]));
    expect(why['0830.look.tracardi-event-2026-1']).toMatch(/^index: db_version "0830"/);
    expect(why['09x.look.tracardi-gadget-2026-q1']).toMatch(/^index: type "gadget" is not one Tracardi 0.9.x creates/);
    expect(why['static-09x.look.tracardi-bridge']).toMatch(/^index: does not fit/);
    expect(why['0820.look.tracardi-event']).toMatch(/^index: does not fit/); // a partitioned type without its period
    expect(why['look.tracardi-whatever']).toMatch(/^alias: type "whatever"/);
    expect(why['template.0830.look.tracardi-event']).toMatch(/^template: db_version "0830"/);
    expect(read.known).toEqual({ indices: [], aliases: [], templates: [] });
  });
});

describe('detectTenancy', () => {
  const base = { version: null, name: null, dbVersion: null, installed: null, multiTenant: null, tenant: null };
  it('reads 0.9 details, a 0.8.x version, or says nothing', () => {
    expect(detectTenancy({ ...base, version: '0.9.0', multiTenant: true })?.mode).toBe('multi-tenant');
    expect(detectTenancy({ ...base, version: '0.9.0', multiTenant: false, tenant: '8504a' })).toMatchObject({
      mode: 'single-tenant',
      tenantName: '8504a',
    });
    expect(detectTenancy({ ...base, version: '0.8.2', name: 'ffe49' })).toMatchObject({
      mode: 'single-tenant',
      tenantName: 'ffe49',
    });
    expect(detectTenancy({ ...base, version: '0.8.2', name: 'tracardi-sim' })).not.toHaveProperty('tenantName');
    expect(detectTenancy({ ...base, version: '1.0.0' })).toBeNull();
  });
});

describe('tenancy in the instance schema', () => {
  const input = {
    id: 'i1',
    name: 'I1',
    environment: 'test',
    apiUrl: 'http://api.i1.test',
    tenantDomainSuffix: 'i1.test',
    tracardiVersion: '0.8.x',
    es: { nodes: ['http://es.i1.test:9200'] },
  };
  it('needs a TMS URL only when multi-tenant; a single-tenant instance serves its name or the default', () => {
    const multi = instanceSchema.safeParse(input);
    expect(multi.success).toBe(false);
    expect(multi.error?.issues[0]).toMatchObject({
      path: ['tmsUrl'],
      message: 'a multi-tenant instance needs its TMS URL',
    });
    const single = instanceSchema.parse({ ...input, tenancy: 'single-tenant' });
    expect(servedTenant(single)).toBe('ffe49');
    expect(servedTenant({ ...single, tracardiVersion: '0.9.x' })).toBe('8504a');
    expect(servedTenant({ ...single, singleTenantName: 'shop' })).toBe('shop');
    expect(servedTenant(instanceSchema.parse({ ...input, tmsUrl: 'http://tms.i1.test' }))).toBeNull();
  });
});
