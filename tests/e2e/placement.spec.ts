// The New tenant dialog ranks the instances of the version by room after placing the tenant, pre-
// selects the best and says why in one line each; an instance without a snapshot is listed as refused
// with its reason. Two simulated 0.9 instances on the two real clusters, the second given a shard
// limit (restored afterwards) that leaves it room for two tenants, and a third whose Elasticsearch
// refuses connections.
import { groupDigits } from '../../shared/text/counts';
import { test, expect } from './fixtures';
import { addInstance, withClusterSetting } from './support/world';

test('New tenant ranks the instances, pre-selects the best and lists the refused one', async ({ tenantConsole }) => {
  const simsA = await tenantConsole.sims(0);
  const simsB = await tenantConsole.sims(1);
  const core = await tenantConsole.core();
  // All production: a tenant is placed for production unless the operator picks another environment.
  await addInstance(core, {
    id: 'inst-big',
    name: 'Big instance',
    environment: 'production',
    sims: simsA,
    suffix: 'big.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  await addInstance(core, {
    id: 'inst-small',
    name: 'Small instance',
    environment: 'production',
    sims: simsB,
    suffix: 'small.e2e.test',
    expectedAddress: '127.0.0.3',
  });
  await addInstance(core, {
    id: 'inst-down',
    name: 'Down instance',
    environment: 'production',
    sims: simsA,
    suffix: 'down.e2e.test',
    expectedAddress: '127.0.0.4',
    esNode: 'http://127.0.0.1:9',
    esTimeoutMs: 2000,
  });

  // Room for exactly two tenants on B: one left after placing this one.
  const small = await core.capacity.snapshot('inst-small');
  if (!small.ok) throw new Error(`no snapshot of cluster B: ${small.error.message}`);
  const perTenant = small.snapshot.room.shardsPerNewTenant;
  const restore = await withClusterSetting(
    simsB.esUrl,
    'cluster.max_shards_per_node',
    small.snapshot.shards.open + 2 * perTenant,
  );
  try {
    const big = await core.capacity.snapshot('inst-big');
    if (!big.ok) throw new Error(`no snapshot of cluster A: ${big.error.message}`);
    // Cluster A (default limit) has room for more than the two of B: it must rank first.
    expect(big.snapshot.room.room).toBeGreaterThan(2);
    await core.capacity.close();

    const page = await tenantConsole.launch({ hash: '#/new-tenant' });
    const form = page.getByRole('form', { name: 'New tenant' });
    const panel = form.getByRole('region', { name: 'Placement on Tracardi 0.9.x' });
    const ranking = panel.getByRole('list', { name: 'Ranking by room after placing the tenant' });
    // The ranking's own entries (each holds its forecast as a list of its own).
    const items = ranking.locator(':scope > li');
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toContainText('Big instance');
    await expect(items.nth(0)).toContainText('Best');
    await expect(items.nth(0)).toContainText(
      `room for ${groupDigits(big.snapshot.room.room - 1)} more after it, ${big.snapshot.room.binding} bind`,
    );
    await expect(items.nth(1)).toContainText('Small instance');
    await expect(items.nth(1)).toContainText('room for 1 more after it, shards bind');
    // Each instance shows its environment and its forecast: the months and the method behind them.
    for (const i of [0, 1]) {
      await expect(items.nth(i)).toContainText('PRODUCTION');
      const forecast = items.nth(i).getByRole('list', { name: 'Forecast' }).getByRole('listitem');
      await expect(forecast.nth(0)).toContainText(
        /^Shard limit[: ].*: (cluster growth|local history|partition layout model|nothing measured)/,
      );
      await expect(forecast.nth(1)).toContainText(/^Low disk watermark/);
    }
    await expect(items.nth(1)).toContainText(
      `${perTenant} of ${groupDigits(small.snapshot.shards.open + 2 * perTenant)} shards left`,
    );
    // The best is pre-selected.
    await expect(form.getByLabel('Instance')).toHaveValue('inst-big');
    await expect(items.nth(0)).toContainText('(selected)');

    const refused = panel.getByRole('list', { name: 'Refused for placement' });
    await expect(refused).toContainText('Down instance PRODUCTION refused: no capacity snapshot: es-refused');
    await tenantConsole.screenshot('new-tenant-placement');

    // Choosing another instance in the ranking sets the form's Instance.
    await items.nth(1).getByRole('button', { name: 'Small instance' }).click();
    await expect(form.getByLabel('Instance')).toHaveValue('inst-small');
    await expect(items.nth(1)).toContainText('(selected)');
  } finally {
    await restore();
  }
});
