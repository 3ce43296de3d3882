// The History screen's charts as an operator reads them (issue 18, item 6): each chart fills its panel
// at 1440, 1024 and 720 px; it spans from the first sample to the date the forecast text names (here
// beyond the two years the charts used to stop at); every line has a colour and a dash of its own and
// its name on the plot; the legend shows the latest figures before any hover; a drag zooms in and the
// keyboard-reachable "Reset zoom" zooms out; hover times are on the 24-hour clock; axe finds nothing
// serious at any of the three widths, light and dark, and the page never scrolls sideways at 1024 px.
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { HistoryStore } from '../../main/services/history';
import type { HistorySample } from '../../shared/capacity/capacity-history';
import { test, expect, type TenantConsole } from './fixtures';
import { addInstance, unique } from './support/world';

const DAY = 86_400_000;
const GB = 1024 ** 3;
const WIDTHS = [1440, 1024, 720] as const;
// Dates as renderer/lib/format.ts writes them in the browser's en-US locale ('Dec 7, 2026').
const DATE = /[A-Z][a-z]{2} \d{1,2}, \d{4}/;

/** What these checks read of the page (the node typecheck has no DOM lib). */
type PageDom = {
  getComputedStyle(el: unknown): { stroke: string; strokeDasharray: string; paddingLeft: string; paddingRight: string };
  document: { documentElement: { scrollWidth: number; clientWidth: number } };
};

/** Serious and critical axe findings on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.passes.length).toBeGreaterThan(0);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** The chart's "Showing <from> to <to>" span, as two dates. */
async function shownSpan(panel: Locator): Promise<[string, string]> {
  const text = (await panel.getByText(/^Showing /).textContent()) ?? '';
  const dates = text.match(new RegExp(DATE.source, 'g')) ?? [];
  expect(dates, text).toHaveLength(2);
  return [dates[0]!, dates[1]!];
}

/**
 * An instance with 120 days of history, a sample every 6 hours, its History screen open. Shards grow
 * 15 a month from 500 toward a limit of 1,000 (440 to go at 15 a month: about 29 months, past the two
 * years the old chart stopped at); disk 5 GB a month.
 */
async function openCharts(tenantConsole: TenantConsole) {
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  const id = unique('charts');
  // Its Elasticsearch does not answer now (a closed port): the screen draws the recorded history, and
  // no live sample of the test cluster (a handful of shards, another disk) joins the made-up one.
  await addInstance(core, {
    id,
    name: 'EU charts',
    sims,
    suffix: 'charts.e2e.test',
    expectedAddress: '127.0.0.2',
    esNode: 'http://127.0.0.1:9',
  });

  const now = Date.now();
  const start = now - 120 * DAY;
  let clock = start;
  const store = new HistoryStore({ dir: join(tenantConsole.dataDir, 'history'), clock: { now: () => clock } });
  for (let t = start; t <= now; t += DAY / 4) {
    clock = t;
    const months = (t - start) / (30 * DAY);
    const sample: HistorySample = {
      t,
      st: 'green',
      n: [
        ['es-1', (40 + 5 * months) * GB, 100 * GB, 85 * GB, 90 * GB, 95 * GB, (0.5 + 0.2 * Math.sin(t / DAY)) * GB, GB],
      ],
      sh: [Math.round(500 + 15 * months), 1000],
      ix: 120,
      tn: 6,
      pt: { acme: [30, 2 * GB] },
    };
    expect(await store.append(sample, id)).toBe(true);
  }

  const page = await tenantConsole.launch({ hash: `#/history/${id}` });
  const forecast = page.getByRole('region', { name: 'Forecast' });
  await expect(forecast).toContainText('Shard limit in about 29 months');
  // The date the forecast names for the shard limit ("At this growth: shard limit about <date>, ...").
  const growthLine = (await forecast.getByText(/At this growth: shard limit about/).textContent()) ?? '';
  const shardCrossing = growthLine.match(new RegExp(`shard limit about (${DATE.source})`))?.[1];
  expect(shardCrossing, growthLine).toBeTruthy();

  const shards = page.getByRole('region', { name: 'Open shards' });
  await expect(shards.locator('.history-chart canvas')).toBeVisible();
  return {
    page,
    now,
    shardCrossing: shardCrossing!,
    shards,
    disk: page.getByRole('region', { name: 'Disk used (data nodes)' }),
    heap: page.getByRole('region', { name: 'Heap used' }),
  };
}

test('history charts span from the first sample to the crossing the forecast names; every line its own colour, dash and label; the latest figures without hovering', async ({
  tenantConsole,
}) => {
  test.setTimeout(180_000);
  const { shards, disk, heap, now, shardCrossing } = await openCharts(tenantConsole);
  // The span: from the first sample of the range (90 days) to the date the forecast text names.
  const firstShown = new Date(now - 90 * DAY);
  const [from, to] = await shownSpan(shards);
  expect(to).toBe(shardCrossing);
  expect(Math.abs(Date.parse(from) - Date.parse(firstShown.toISOString().slice(0, 10)))).toBeLessThanOrEqual(DAY);

  // Every line of a chart: its own colour and its own dash in the legend, and its name on the plot.
  for (const [panel, names] of [
    [disk, ['Disk used', 'Low watermark', 'Flood stage', 'Forecast']],
    [shards, ['Open shards', 'Shard limit', 'Forecast']],
    [heap, ['Heap used', 'Heap max']],
  ] as const) {
    const items = panel.getByRole('list', { name: /figures/ }).getByRole('listitem');
    await expect(items).toHaveCount(names.length);
    const looks = await items.locator('svg line').evaluateAll((lines) =>
      lines.map((l) => ({
        colour: (globalThis as unknown as PageDom).getComputedStyle(l).stroke,
        dash: (globalThis as unknown as PageDom).getComputedStyle(l).strokeDasharray,
      })),
    );
    expect(new Set(looks.map((l) => l.colour)).size, JSON.stringify(looks)).toBe(names.length);
    expect(new Set(looks.map((l) => l.dash)).size, JSON.stringify(looks)).toBe(names.length);
    for (const name of names) await expect(panel.locator('.chart-label', { hasText: name })).toBeVisible();
  }

  // The latest figures before any hover: 500 + 15 × 4 months = 560 shards of 1,000; the forecast's end.
  const shardLegend = shards.locator('.chart-legend');
  await expect(shardLegend).toContainText(/Latest sample, [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}/);
  await expect(shardLegend.getByRole('listitem').filter({ hasText: 'Open shards' })).toContainText('560');
  await expect(shardLegend.getByRole('listitem').filter({ hasText: 'Shard limit' })).toContainText('1,000');
  await expect(shardLegend.getByRole('listitem').filter({ hasText: 'Forecast' })).toContainText(
    `1,000 on ${shardCrossing}`,
  );
});

test('history charts: hover times on the 24-hour clock; drag to zoom, Reset zoom from the keyboard', async ({
  tenantConsole,
}) => {
  test.setTimeout(180_000);
  const { page, shards } = await openCharts(tenantConsole);
  const shardLegend = shards.locator('.chart-legend');
  // Hover: the figures under the cursor, the time on the 24-hour clock.
  const plot = shards.locator('.u-over');
  await plot.scrollIntoViewIfNeeded();
  const box = (await plot.boundingBox())!;
  for (const x of [0.05, 0.1, 0.15]) {
    await page.mouse.move(box.x + box.width * x, box.y + box.height / 2);
    await expect(shardLegend).toContainText(/At [A-Z][a-z]{2} \d{1,2}, \d{4}, ([01]\d|2[0-3]):[0-5]\d/);
    await expect(shardLegend).not.toContainText(/am|pm/i);
  }

  // Zoom: a drag across the plot narrows the span; Reset zoom (reached with the keyboard) restores it.
  const [from, to] = await shownSpan(shards);
  await page.mouse.move(box.x + box.width * 0.05, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(shards.getByText(/\(zoomed in\)/)).toBeVisible();
  const [zFrom, zTo] = await shownSpan(shards);
  expect(Date.parse(zTo) - Date.parse(zFrom)).toBeLessThan((Date.parse(to) - Date.parse(from)) / 3);
  const reset = shards.getByRole('button', { name: 'Reset zoom' });
  await reset.focus();
  await page.keyboard.press('Enter');
  await expect(shards.getByText(/\(zoomed in\)/)).toHaveCount(0);
  expect(await shownSpan(shards)).toEqual([from, to]);
  await expect(reset).toBeFocused();

  // Without a mouse: the history alone (first to last sample, none of the forecast's months), then back.
  await page.mouse.move(box.x + box.width / 2, box.y - 60);
  await expect(shardLegend).toContainText('Latest sample');
  const latest = ((await shardLegend.textContent()) ?? '').match(DATE)?.[0];
  await page.keyboard.press('Shift+Tab');
  await expect(shards.getByRole('button', { name: 'Zoom to the history' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(shards.getByText(/\(zoomed in\)/)).toBeVisible();
  expect(await shownSpan(shards)).toEqual([from, latest]);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  expect(await shownSpan(shards)).toEqual([from, to]);
});

test('history charts fill their panel at 1440, 1024 and 720 px, no sideways scroll, axe light and dark', async ({
  tenantConsole,
}) => {
  test.setTimeout(240_000);
  const { page, shards, disk, heap } = await openCharts(tenantConsole);
  // Each chart fills its panel at every width; no sideways scroll; axe, light and dark.
  const theme = page.getByLabel('Theme');
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const panel of [disk, shards, heap]) {
      // The plot's width against the panel's content box (the panel less its padding).
      const widths = () =>
        panel.evaluate((el) => {
          const style = (globalThis as unknown as PageDom).getComputedStyle(el);
          const content = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return [Math.round(el.querySelector('.uplot')!.getBoundingClientRect().width), Math.round(content)];
        });
      await expect
        .poll(
          async () => {
            const [plotWidth, panelWidth] = await widths();
            return Math.abs(plotWidth! - panelWidth!);
          },
          { message: `chart width against its panel at ${width} px: ${JSON.stringify(await widths())}` },
        )
        .toBeLessThanOrEqual(2);
    }
    if (width === 720) await tenantConsole.screenshot('history-charts-720');
    if (width === 1024) {
      const sideways = await page.evaluate(
        () =>
          (globalThis as unknown as PageDom).document.documentElement.scrollWidth -
          (globalThis as unknown as PageDom).document.documentElement.clientWidth,
      );
      expect(sideways, 'horizontal scroll at 1024 px').toBeLessThanOrEqual(0);
    }
    for (const choice of ['light', 'dark'] as const) {
      await theme.selectOption(choice);
      expect(await seriousViolations(page), `history screen at ${width} px, ${choice}`).toEqual([]);
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await tenantConsole.screenshot('history-charts');
});
