// The search box's index (renderer/features/search/search-index.ts), the exports of the Changes and
// Audit screens (spreadsheet-safe CSV through shared/text/csv.ts, JSON as the rows are), the index
// browser's check of what a verification found missing, and the browser shell's notifications
// following the operator's choice.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildSearchIndex, searchEntries } from '../../../renderer/features/search/search-index';
import { exportFileName, renderRows, type ExportColumn } from '../../../renderer/features/log-tools/export-rows';
import { checkMissing } from '../../../renderer/features/indices/missing-names';
import type { IndexListing } from '../../../shared/instances/index-listing';
import type { WatchChange } from '../../../shared/watch/watch';

const instances = [
  { instance: { id: 'eu1', name: 'EU production', environment: 'production', tenantDomainSuffix: 'eu1.example.com' } },
  { instance: { id: 'us2', name: 'US staging', environment: 'staging', tenantDomainSuffix: 'us2.example.com' } },
];
const tenants = [
  {
    instanceId: 'eu1',
    tenant: 'shop',
    apiDomain: 'shop.eu1.example.com',
    guiDomain: 'shop-gui.eu1.example.com',
    email: 'Ops@Shop.com',
  },
  {
    instanceId: 'us2',
    tenant: 'shopping',
    apiDomain: 'shopping.us2.example.com',
    guiDomain: 'admin.shopping.io',
    email: 'a@b.c',
  },
  {
    instanceId: 'us2',
    tenant: 'blog',
    apiDomain: 'blog.us2.example.com',
    guiDomain: 'blog-gui.us2.example.com',
    email: 'x@blog.com',
  },
];

describe('search', () => {
  const index = buildSearchIndex(instances, tenants);
  const names = (q: string) => searchEntries(index, q).map((h) => `${h.entry.kind}:${h.entry.name}`);

  it('tenants by name, API and GUI domain and e-mail; instances by id, name and suffix; screens', () => {
    expect(names('shop')).toEqual(['tenant:shop', 'tenant:shopping']);
    expect(names('admin.shopping')).toEqual(['tenant:shopping']);
    expect(searchEntries(index, 'admin.shopping')[0]!.matchedIn).toBe('GUI domain: admin.shopping.io');
    expect(names('ops@shop')).toEqual(['tenant:shop']);
    expect(names('us2')).toEqual(['instance:US staging', 'tenant:blog', 'tenant:shopping']);
    expect(names('settings')).toEqual(['screen:Settings']);
    expect(names('blog us2')).toEqual(['tenant:blog']);
    expect(names('   ')).toEqual([]);
  });

  it('a result goes to its screen: a tenant to its row on Tenants, an instance to its screen', () => {
    const [shop] = searchEntries(index, 'shop');
    expect(shop!.entry.route).toEqual({ screen: 'tenants', params: { sel: 'eu1/shop' } });
    const [eu] = searchEntries(index, 'EU production');
    expect(eu!.entry.route).toEqual({ screen: 'instance', id: 'eu1' });
  });

  it('10,000 tenants: the index is built once, a query answers quickly', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      instanceId: i % 2 ? 'eu1' : 'us2',
      tenant: `tenant${i}`,
      apiDomain: `tenant${i}.example.com`,
      guiDomain: `tenant${i}-gui.example.com`,
      email: `ops${i}@example.com`,
    }));
    const big = buildSearchIndex(instances, many);
    const t0 = performance.now();
    for (const q of ['t', 'tenant99', 'gui.example', 'ops12', 'nothing-matches']) searchEntries(big, q);
    const perQuery = (performance.now() - t0) / 5;
    expect(searchEntries(big, 'tenant9999-gui').map((h) => h.entry.name)).toEqual(['tenant9999']);
    // Generous for a loaded 2-core machine; an idle one answers in a few ms.
    expect(perQuery).toBeLessThan(200);
  });
});

describe('exports of the rows shown', () => {
  const columns: ExportColumn<{ subject: string; detail: string }>[] = [
    { header: 'Subject', value: (r) => r.subject },
    { header: 'Detail', value: (r) => r.detail },
  ];
  const rows = [
    { subject: '=HYPERLINK("http://evil")', detail: 'a, "quoted"\nline' },
    { subject: '-1+2', detail: '@cmd' },
  ];

  it('CSV: a header, CRLF lines, formulas neutralised, quoting where needed', () => {
    expect(renderRows(rows, columns, 'csv')).toBe(
      'Subject,Detail\r\n' + `"'=HYPERLINK(""http://evil"")","a, ""quoted""\nline"\r\n` + "'-1+2,'@cmd\r\n",
    );
  });

  it('JSON: the rows as they are', () => {
    expect(JSON.parse(renderRows(rows, columns, 'json'))).toEqual(rows);
  });

  it('file names say what and when', () => {
    expect(exportFileName('changes', 'csv', new Date(Date.UTC(2026, 11, 7, 14, 5, 33)))).toBe(
      'tracardi-changes-2026-12-07T1405Z.csv',
    );
  });
});

describe('what a verification found missing, against the instance now', () => {
  const listing: IndexListing = {
    instanceId: 'eu1',
    pattern: '*.shop.tracardi-*',
    indices: [
      {
        name: '09x.shop.tracardi-event-2026-q1',
        health: 'green',
        status: 'open',
        docs: 1,
        sizeBytes: 10,
        primaries: 1,
        replicas: 0,
      },
    ],
    total: 1,
    truncated: false,
    aliases: [{ alias: '09x.shop.tracardi-event', index: '09x.shop.tracardi-event-2026-q1' }],
    templates: ['template.09x.shop.tracardi-event'],
    esRequests: 3,
  };

  it('names and partitioned prefixes', () => {
    expect(
      checkMissing(
        [
          '09x.shop.tracardi-event-*',
          '09x.shop.tracardi-session-*',
          '09x.shop.tracardi-event',
          'template.09x.shop.tracardi-profile',
        ],
        listing,
      ),
    ).toEqual([
      { name: '09x.shop.tracardi-event-*', presentNow: true },
      { name: '09x.shop.tracardi-session-*', presentNow: false },
      { name: '09x.shop.tracardi-event', presentNow: true },
      { name: 'template.09x.shop.tracardi-profile', presentNow: false },
    ]);
  });
});

// The module uses the DOM's Notification: loaded by a computed path (the tests compile without the DOM lib).
const choicePath = '../../../renderer/features/changes/page-notice-choice';
const { showChosenPageNotices } = (await import(/* @vite-ignore */ choicePath)) as {
  showChosenPageNotices: (
    api: { 'watch.status': (a: object) => Promise<{ notifications: 'all' | 'problems' | 'off' }> },
    entries: WatchChange[],
  ) => Promise<number>;
};

describe("the browser shell's desktop notifications follow the choice", () => {
  afterEach(() => vi.unstubAllGlobals());
  const entry = (id: number, severity: WatchChange['severity']): WatchChange => ({
    id,
    at: '2026-01-10T12:00:00.000Z',
    kind: 'tenant',
    instanceId: 'eu1',
    tenant: `t${id}`,
    subject: `t${id} on EU 1`,
    from: 'a',
    to: 'b',
    severity,
    detail: '',
    notify: true,
  });

  it('every change, problems only, off: read from the settings each time', async () => {
    const shown: string[] = [];
    vi.stubGlobal(
      'Notification',
      class {
        static permission = 'granted';
        onclick: (() => void) | null = null;
        constructor(title: string) {
          shown.push(title);
        }
      },
    );
    let choice: 'all' | 'problems' | 'off' = 'all';
    const api = { 'watch.status': async () => ({ notifications: choice }) };
    const entries = [entry(1, 'problem'), entry(2, 'recovered')];
    expect(await showChosenPageNotices(api, entries)).toBe(2);
    choice = 'problems';
    expect(await showChosenPageNotices(api, entries)).toBe(1);
    expect(shown.at(-1)).toBe('Tracardi: problem');
    choice = 'off';
    expect(await showChosenPageNotices(api, entries)).toBe(0);
    expect(shown).toHaveLength(3);
  });
});
