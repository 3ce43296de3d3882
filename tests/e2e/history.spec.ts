// An instance with four months of capacity history: the History screen draws disk, shards and heap
// with the limits and the forecast ("Shard limit in about N months"), each chart has its table, the
// Fleet shows the headroom side by side, and axe finds no serious or critical violation on either,
// light and dark.
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { HistoryStore } from '../../main/services/history';
import type { HistorySample } from '../../shared/capacity/capacity-history';
import { test, expect } from './fixtures';
import { addInstance, unique } from './support/world';

const DAY = 86_400_000;
const GB = 1024 ** 3;

/** Serious and critical axe findings on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.waitForTimeout(200);
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.passes.length).toBeGreaterThan(0);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

test('capacity history: charts with limits and forecast, table fallback, fleet headroom, accessible', async ({
  tenantConsole,
}) => {
  test.setTimeout(180_000);
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  const id = unique('hist');
  await addInstance(core, {
    id,
    name: 'EU history',
    environment: 'staging',
    sims,
    suffix: 'hist.e2e.test',
    expectedAddress: '127.0.0.2',
    // Its Elasticsearch does not answer now (a closed port): the screens show the recorded history,
    // and no live sample of the test cluster (a handful of shards, another disk) joins the made-up one.
    esNode: 'http://127.0.0.1:9',
  });

  // 120 days, a sample every 6 hours: shards grow 40 a month toward a limit of 1,000, disk 5 GB a month.
  const now = Date.now();
  let clock = now - 120 * DAY;
  const store = new HistoryStore({ dir: join(tenantConsole.dataDir, 'history'), clock: { now: () => clock } });
  for (let t = now - 120 * DAY; t <= now; t += DAY / 4) {
    clock = t;
    const months = (t - (now - 120 * DAY)) / (30 * DAY);
    const sample: HistorySample = {
      t,
      st: 'green',
      n: [
        ['es-1', (40 + 5 * months) * GB, 100 * GB, 85 * GB, 90 * GB, 95 * GB, (0.3 + 0.1 * Math.sin(t / DAY)) * GB, GB],
      ],
      sh: [Math.round(400 + 40 * months), 1000],
      ix: 120,
      tn: 6,
      pt: { acme: [30, 2 * GB] },
    };
    expect(await store.append(sample, id)).toBe(true);
  }

  const page = await tenantConsole.launch({ hash: `#/instance/${id}` });
  // The chart code (uPlot) comes with the History screen's chunk: not loaded until that screen shows.
  const chartChunks = () =>
    page.evaluate(
      () =>
        (globalThis as unknown as { performance: { getEntriesByType(t: string): { name: string }[] } }).performance
          .getEntriesByType('resource')
          .filter((e) => /\/assets\/history-[\w-]+\.js$/.test(e.name)).length,
    );
  await expect(page.getByRole('link', { name: 'History and forecast' })).toBeVisible();
  expect(await chartChunks()).toBe(0);
  await page.getByRole('link', { name: 'History and forecast' }).click();
  await expect(page.getByRole('heading', { name: 'EU history: capacity over time', level: 1 })).toBeVisible();

  // 560 shards now (400 + 4 months × 40), 40 a month from 120 days of history: 440 / 40 = 11 months.
  const forecast = page.getByRole('region', { name: 'Forecast' });
  // 440 ÷ 40.0x is just under 11: whole months rounded down, as every screen and tenantctl show them.
  await expect(forecast).toContainText('Shard limit in about 10 months');
  await expect(forecast).toContainText('Low disk watermark in about 5 months');
  await expect(forecast).toContainText(
    'local history: 40 shards a month over the last 90 days; 560 of 1,000 shards open',
  );

  const limits = { 'Disk used (data nodes)': 'Low watermark', 'Open shards': 'Shard limit', 'Heap used': 'Heap max' };
  for (const [title, limit] of Object.entries(limits)) {
    const panel = page.getByRole('region', { name: title });
    await expect(panel.locator('.history-chart canvas')).toBeVisible();
    expect(await chartChunks()).toBeGreaterThan(0);
    await expect(panel.locator('.chart-legend')).toContainText(limit);
    // The table fallback: the same figures, readable without the chart.
    await panel.getByText(`${title}: figures as a table`).click();
    const table = panel.getByRole('table', { name: new RegExp(title.replace(/[()]/g, '.')) });
    await expect(table).toBeVisible();
    expect(await table.getByRole('row').count()).toBeGreaterThan(10);
  }
  const shardsTable = page.getByRole('table', { name: /Open shards/ });
  await expect(shardsTable.getByRole('columnheader', { name: 'Forecast' })).toBeVisible();
  await expect(shardsTable.getByRole('row').last()).toContainText('1,000');
  await page.getByRole('region', { name: 'Open shards' }).scrollIntoViewIfNeeded();
  await page.getByRole('region', { name: 'Forecast' }).scrollIntoViewIfNeeded();
  const shot = await tenantConsole.screenshot('history');
  if (process.env.E2E_UPDATE_DOCS === '1' && tenantConsole.kind === 'browser-shell') {
    const { copyFileSync } = await import('node:fs');
    copyFileSync(shot, join(process.cwd(), 'docs', 'screenshots', 'history.png'));
  }

  const theme = page.getByLabel('Theme');
  for (const choice of ['light', 'dark'] as const) {
    await theme.selectOption(choice);
    expect(await seriousViolations(page), `history screen, ${choice}`).toEqual([]);
  }

  // The fleet: every instance's headroom side by side, with its forecast.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fleet' }).click();
  const headroom = page.getByRole('region', { name: 'Headroom across the fleet' });
  const row = headroom.getByRole('row', { name: /EU history/ });
  await expect(row).toContainText('Shard limit in about');
  await expect(row.getByRole('meter', { name: 'EU history shards' })).toBeVisible();
  for (const choice of ['light', 'dark'] as const) {
    await theme.selectOption(choice);
    expect(await seriousViolations(page), `fleet with headroom, ${choice}`).toEqual([]);
  }
});
