// The watch's toasts never cover the screen: with many changes at once they sit in their own strip
// under it (the Adopt buttons of Found on instance and the Changes feed stay clickable), at most three
// with the rest counted, good news (registered -> installed) styled as good and gone by itself,
// problems kept until dismissed or Changes is opened, and "Dismiss all". The changes are written to
// the feed as the watch writes them (detectChanges over round inputs, WatchFiles.commitRound), so
// the page polls real entries; axe checks the three tones, light and dark.
import { randomBytes } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Locator } from '@playwright/test';
import { WatchFiles } from '../../main/services/watch';
import { detectChanges } from '../../shared/watch/watch-detect';
import type { VerifyStatus } from '../../shared/tenants/tenant';
import { test, expect } from './fixtures';
import { cleanupTenant } from '../support/verify-fixtures';
import { addInstance, installTenant, unique } from './support/world';

/** The two boxes share no pixel. */
async function apart(a: Locator, b: Locator): Promise<boolean> {
  const [x, y] = [await a.boundingBox(), await b.boundingBox()];
  if (!x || !y) throw new Error('not on screen');
  return x.x + x.width <= y.x || y.x + y.width <= x.x || x.y + x.height <= y.y || y.y + y.height <= x.y;
}

/**
 * Every element matched is clickable where it is: scrolled to the bottom edge of the screen (where an
 * overlay in a corner sits), the element itself is what the page hits at its centre. (Playwright's
 * own click would scroll it out from under an overlay and so prove nothing.)
 */
async function clickable(targets: Locator): Promise<void> {
  const n = await targets.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const hit = await targets.nth(i).evaluate((node) => {
      interface Box {
        left: number;
        top: number;
        width: number;
        height: number;
      }
      const el = node as unknown as {
        scrollIntoView(o: object): void;
        getBoundingClientRect(): Box;
        contains(other: unknown): boolean;
        ownerDocument: { elementFromPoint(x: number, y: number): unknown };
      };
      el.scrollIntoView({ block: 'end', inline: 'end' });
      const r = el.getBoundingClientRect();
      const top = el.ownerDocument.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return top !== null && (top === node || el.contains(top));
    });
    expect(hit, `${await targets.nth(i).textContent()} is covered`).toBe(true);
  }
}

// 1024 px wide (a target width), short enough that the found table reaches the bottom edge.
test.use({ viewport: { width: 1024, height: 600 } });

test('toasts: bounded, good news as good, expiry, dismiss all, never over an action', async ({ tenantConsole }) => {
  test.setTimeout(240_000);
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  await addInstance(core, { id: 'inst-t', name: 'Toasty', sims, suffix: 't.e2e.test', expectedAddress: '127.0.0.2' });
  // Tenants on the instance without a record: "Found on instance" lists them with an Adopt button each.
  const found = Array.from({ length: 6 }, () => unique('found')).sort();
  for (const name of found) {
    const token = randomBytes(16).toString('hex');
    sims.tms.tenants().set(name, {
      id: `id-${name}`,
      created: new Date().toISOString(),
      name,
      install_token: token,
      email: null,
      expire: null,
    });
    const reply = await installTenant({ tracardiUrl: sims.tracardi.url, host: `${name}.t.e2e.test`, token });
    expect(reply.status, reply.body).toBe(200);
  }

  // Watch rounds as the watch commits them: a baseline, then changes.
  const files = new WatchFiles(tenantConsole.dataDir);
  const statuses: Record<string, VerifyStatus> = {
    t1: 'registered',
    t2: 'installed',
    t3: 'installed',
    t4: 'installed',
    t5: 'installed',
    t6: 'registered',
    t7: 'installed',
    t8: 'installed',
    t9: 'installed',
  };
  const round = (changed: Record<string, VerifyStatus>) => {
    Object.assign(statuses, changed);
    return files.commitRound((previous) =>
      detectChanges(
        previous,
        {
          instances: [{ id: 'inst-t', name: 'Toasty' }],
          results: Object.entries(statuses).map(([tenant, status]) => ({
            instanceId: 'inst-t',
            tenant,
            status,
            summary: status,
          })),
          instanceErrors: [],
          capacity: [],
        },
        new Date().toISOString(),
      ),
    ).entries;
  };
  expect(round({})).toEqual([]);

  const page = await tenantConsole.launch({ hash: '#/found/inst-t' });
  const table = page.getByRole('table', { name: 'Tenants found on Toasty' });
  // Every Adopt button the screen draws (the shared test cluster may hold other tests' tenants too),
  // ours among them.
  const adopt = table.getByRole('button', { name: /^Adopt / });
  await expect(table.getByRole('button', { name: `Adopt ${found[0]}` })).toBeVisible();
  // The page learns the feed's cursor on its first poll: what comes after is news.
  await page.waitForTimeout(1500);

  const region = page.getByRole('region', { name: 'Watch notifications' });
  const toasts = region.getByTestId('watch-toast');
  // One round: good news (registered -> installed) and two problems.
  expect(round({ t1: 'installed', t2: 'drift', t3: 'misrouted' })).toHaveLength(3);
  await expect(toasts).toHaveCount(3, { timeout: 20_000 });
  const good = toasts.filter({ hasText: 't1 on Toasty: registered -> installed' });
  await expect(good).toHaveAttribute('data-tone', 'good');
  await expect(good).toHaveClass(/toast-good/);
  await expect(good).not.toHaveClass(/toast-problem/);
  await expect(good).toContainText('Tracardi: good news');
  await expect(toasts.filter({ hasText: 't2 on Toasty: installed -> drift' })).toHaveAttribute('data-tone', 'problem');
  await expect(region.getByRole('button', { name: 'Dismiss all' })).toBeVisible();

  // The three tones pass axe, light and dark.
  expect(round({ t6: 'handed-over' })).toHaveLength(1);
  await expect(toasts.filter({ hasText: 't6 on Toasty: registered -> handed-over' })).toHaveAttribute(
    'data-tone',
    'info',
    { timeout: 20_000 },
  );
  for (const [theme, width] of [
    ['light', 1440],
    ['dark', 1024],
    ['light', 720],
    ['dark', 720],
  ] as const) {
    await page.setViewportSize({ width, height: 600 });
    await page.getByLabel('Theme').selectOption(theme);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await page.waitForTimeout(200);
    // The strip never scrolls sideways.
    expect(await page.locator('.toasts').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const result = await new AxeBuilder({ page }).include('.toasts').analyze();
    expect(result.passes.length).toBeGreaterThan(0);
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      serious.map((v) => `${v.id} (${theme}, ${width}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  }
  await page.setViewportSize({ width: 1024, height: 600 });
  await page.mouse.move(0, 0);

  // Good news and plain changes go by themselves; the problems stay.
  await expect(good).toHaveCount(0, { timeout: 20_000 });
  await expect(toasts.filter({ hasText: 't6 on Toasty' })).toHaveCount(0, { timeout: 20_000 });
  await expect(toasts).toHaveCount(2);
  await page.waitForTimeout(9000);
  await expect(toasts).toHaveCount(2);

  // More problems than fit: three on screen, the rest counted; none covers an Adopt button.
  expect(round({ t4: 'drift', t5: 'partial' })).toHaveLength(2);
  await expect(region).toContainText('1 more change in Changes', { timeout: 20_000 });
  await expect(toasts).toHaveCount(3);
  expect(await apart(region, page.locator('#content'))).toBe(true);
  await clickable(adopt);

  // Dismiss all: every toast goes; the feed keeps the changes.
  await region.getByRole('button', { name: 'Dismiss all' }).click();
  await expect(region).toHaveCount(0);

  // On Changes: toasts that come while it is open stay off the feed; opening Changes clears older ones.
  expect(round({ t7: 'drift' })).toHaveLength(1);
  await expect(toasts).toHaveCount(1, { timeout: 20_000 });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Changes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Changes' })).toBeVisible();
  await expect(region).toHaveCount(0);
  expect(round({ t8: 'drift', t9: 'misrouted', t1: 'drift' })).toHaveLength(3);
  await expect(toasts).toHaveCount(3, { timeout: 20_000 });
  const feed = page.getByTestId('changes-feed');
  await expect(feed.getByRole('row').filter({ hasText: 't9 on Toasty' })).toBeVisible();
  expect(await apart(region, page.locator('#content'))).toBe(true);
  await clickable(page.getByRole('group', { name: 'Watch schedule' }).getByRole('button'));
  await clickable(feed.getByRole('row'));
  for (const name of found) await cleanupTenant(sims.esUrl, name);
});
