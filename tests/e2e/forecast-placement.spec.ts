// One forecast per instance, shown alike, and placement that keeps environments apart.
//
// 1. An instance with four months of capacity history ending at its real figures: the Fleet card,
//    the headroom table, the History screen and the placement panel show the same months and the
//    same method line, which is what the core's own forecast says.
// 2. A development sandbox and a production instance on the same cluster (the same room and
//    forecast to the shard): placement ranks production alone and marks it Best, lists the sandbox
//    apart as not compared, shows each instance's environment and prints why; a tenant for
//    development ranks the sandbox.
import fs from 'node:fs';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { HistoryStore } from '../../main/services/history';
import { sampleOf, type HistorySample } from '../../shared/capacity/capacity-history';
import { forecastTexts } from '../../renderer/lib/forecast-format';
import { test, expect } from './fixtures';
import { addInstance, unique } from './support/world';

const DAY = 86_400_000;
const GB = 1024 ** 3;

/** The two lines (shard limit, low disk watermark) of the forecast list named `label` inside `scope`. */
async function forecastIn(scope: Locator, label: string): Promise<string[]> {
  const items = scope.getByRole('list', { name: label }).getByRole('listitem');
  await expect(items).toHaveCount(2);
  return items.allInnerTexts();
}

test('one forecast: the same months and method on Fleet, headroom, History and placement', async ({
  tenantConsole,
}) => {
  test.setTimeout(240_000);
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  const id = unique('fc');
  await addInstance(core, {
    id,
    name: 'EU forecast',
    environment: 'production',
    sims,
    suffix: 'fc.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  // The instance's real figures now; the history is laid out to end in them, so the console's own
  // snapshots (one sample a minute at most) continue it rather than break it.
  const outcome = await core.capacity.snapshot(id);
  if (!outcome.ok) throw new Error(`no snapshot: ${outcome.error.message}`);
  await core.capacity.close();
  const dir = join(tenantConsole.dataDir, 'history');
  fs.rmSync(join(dir, `${id}.jsonl`), { force: true });
  const end = sampleOf(outcome.snapshot);
  const now = Date.now();
  const perMonth = Math.max(1, Math.min(40, Math.floor(end.sh[0] / 5)));
  let clock = now - 120 * DAY;
  const store = new HistoryStore({ dir, clock: { now: () => clock } });
  for (let t = now - 120 * DAY; t <= now; t += DAY / 4) {
    clock = t;
    const back = (now - t) / (30 * DAY);
    const sample: HistorySample = {
      ...end,
      t,
      n: end.n.map(([name, used, ...rest]) => [name, Math.max(0, used - back * 2 * GB), ...rest] as (typeof end.n)[0]),
      sh: [Math.round(end.sh[0] - back * perMonth), end.sh[1]],
    };
    expect(await store.append(sample, id)).toBe(true);
  }

  const page = await tenantConsole.launch({ hash: '#/fleet' });
  const label = 'Forecast of EU forecast';
  const historyFile = join(dir, `${id}.jsonl`);
  const state = () => fs.statSync(historyFile).size;
  // The surfaces read one history; should a sample land in the middle (one a minute), read them again.
  let seen: Record<string, string[]> = {};
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = state();
    await tenantConsole.goto('#/fleet');
    const card = page.locator('article.instance-card').filter({ hasText: 'EU forecast' });
    seen = { card: await forecastIn(card, label) };
    if (attempt === 0) await tenantConsole.screenshot('fleet-forecast');
    seen.headroom = await forecastIn(page.getByRole('region', { name: 'Headroom across the fleet' }), label);
    await tenantConsole.goto(`#/history/${id}`);
    seen.history = await forecastIn(page.getByRole('region', { name: 'Forecast' }), label);
    await tenantConsole.goto('#/new-tenant');
    const ranking = page
      .getByRole('region', { name: 'Placement on Tracardi 0.9.x' })
      .getByRole('list', { name: 'Ranking by room after placing the tenant' });
    seen.placement = await forecastIn(ranking.locator(':scope > li').filter({ hasText: 'EU forecast' }), 'Forecast');
    if (state() === before) break;
  }
  const [shards, disk] = seen.card!;
  expect(shards).toMatch(
    /^Shard limit in about \d+ months?: local history: [\d.,]+ shards a month over the last 90 days; [\d,]+ of [\d,]+ shards open$/,
  );
  expect(disk).toMatch(
    /^Low disk watermark (in about \d+ months?|reached|in under a month): local history: [\d.]+ GiB a month over the last 90 days; /,
  );
  expect(seen).toEqual({
    card: [shards, disk],
    headroom: [shards, disk],
    history: [shards, disk],
    placement: [shards, disk],
  });
  // And it is the core's forecast, written the UI's way.
  const f = (await (await tenantConsole.core()).history.forecasts([id])).get(id)!;
  expect(forecastTexts(f).map((t) => `${t.figure}: ${t.method}`)).toEqual([shards, disk]);
});

test('placement keeps environments apart: production ranks, a sandbox with the same room is not compared', async ({
  tenantConsole,
}) => {
  test.setTimeout(180_000);
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  // Same cluster, same room, same forecast; by id alone the sandbox would come first.
  await addInstance(core, {
    id: 'a-sandbox',
    name: 'Dev sandbox',
    environment: 'development',
    sims,
    suffix: 'sandbox.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  await addInstance(core, {
    id: 'b-prod',
    name: 'EU production',
    environment: 'production',
    sims,
    suffix: 'prod.e2e.test',
    expectedAddress: '127.0.0.3',
  });
  const page = await tenantConsole.launch({ hash: '#/new-tenant' });
  const form = page.getByRole('form', { name: 'New tenant' });
  const panel = form.getByRole('region', { name: 'Placement on Tracardi 0.9.x' });
  await expect(panel.getByLabel('Environment of the tenant')).toHaveValue('production');
  const ranking = panel.getByRole('list', { name: 'Ranking by room after placing the tenant' });
  // (Each entry holds its forecast as a list of its own: the entries are the ranking's own items.)
  const entries = ranking.locator(':scope > li');
  await expect(entries).toHaveCount(1);
  const prod = entries.first();
  await expect(prod).toContainText('EU production');
  await expect(prod).toContainText('Best');
  await expect(prod).toContainText('PRODUCTION');
  await expect(form.getByLabel('Instance')).toHaveValue('b-prod');
  await expect(panel).toContainText(
    'Ranked among the production instances of Tracardi 0.9.x only: the tenant is for production, and a development ' +
      'instance is not an equal home for it whatever its room, so those are listed apart, not compared.',
  );
  const apart = panel.getByRole('list', { name: 'Other environments, not compared' });
  const sandbox = apart.locator(':scope > li').filter({ hasText: 'Dev sandbox' });
  await expect(sandbox).toContainText('DEVELOPMENT');
  await expect(sandbox).toContainText('not compared: a development instance, the tenant is for production; room for');
  await expect(sandbox).not.toContainText('Best');
  await tenantConsole.screenshot('new-tenant-placement-environments');

  // A tenant for development: the sandbox ranks, production is the one apart.
  await panel.getByLabel('Environment of the tenant').selectOption('development');
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText('Dev sandbox');
  await expect(entries.first()).toContainText('Best');
  await expect(apart.locator(':scope > li').filter({ hasText: 'EU production' })).toContainText(
    'not compared: a production instance, the tenant is for development',
  );
});
