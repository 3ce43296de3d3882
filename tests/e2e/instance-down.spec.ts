// Instances that go down: an Elasticsearch that dies in the middle of a Fleet refresh (behind a
// loopback forwarder this test controls), and a Tracardi API that goes down before a verification.
// The healthy instance keeps its figures; the dead one shows why.
import { test, expect } from './fixtures';
import { addInstance, installTenant, startTcpForwarder, unique } from './support/world';

test('an instance whose Elasticsearch goes down mid-refresh; the fleet still shows the healthy one', async ({
  tenantConsole,
}) => {
  const healthySims = await tenantConsole.sims(0);
  const flakySims = await tenantConsole.sims(1);
  const forwarder = await startTcpForwarder(flakySims.esUrl);
  const core = await tenantConsole.core();
  await addInstance(core, {
    id: 'healthy',
    name: 'Healthy',
    sims: healthySims,
    suffix: 'h.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  await addInstance(core, {
    id: 'flaky',
    name: 'Flaky',
    sims: flakySims,
    suffix: 'f.e2e.test',
    expectedAddress: '127.0.0.3',
    esNode: forwarder.url,
    // Long enough that the request in flight ends because the node dies, not by its own timeout.
    esTimeoutMs: 60_000,
  });
  try {
    const page = await tenantConsole.launch();
    const healthy = page.getByRole('article', { name: 'Healthy' });
    const flaky = page.getByRole('article', { name: 'Flaky' });
    await expect(healthy.getByText('Cluster health')).toBeVisible();
    await expect(flaky.getByText('Cluster health')).toBeVisible();

    // The node stops answering, then a refresh of the whole fleet starts.
    forwarder.hang();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(flaky).toHaveAttribute('aria-busy', 'true');
    await expect
      .poll(() => forwarder.swallowed(), { message: 'a capacity request reached the hung node' })
      .toBeGreaterThan(0);
    await expect(healthy).toHaveAttribute('aria-busy', 'false');
    await expect(flaky).toHaveAttribute('aria-busy', 'true');

    // It dies mid-refresh: the in-flight requests are reset and the port refuses from now on.
    await forwarder.kill();
    await expect(flaky).toHaveAttribute('aria-busy', 'false');
    const error = flaky.getByRole('alert');
    await expect(error).toBeVisible();
    await expect(error).toContainText(/elasticsearch|reset|refused|hang up|closed/i);
    await expect(flaky.getByText('Cluster health')).toBeHidden();
    // The healthy instance still shows its figures and no error.
    await expect(healthy.getByText('Cluster health')).toBeVisible();
    await expect(healthy).toContainText(/Room for [\d,]+ more tenant/);
    await expect(healthy.getByRole('alert')).toHaveCount(0);
    await tenantConsole.screenshot('fleet-instance-down');

    // A later refresh of the dead instance alone: refused at once, still the healthy one untouched.
    await flaky.getByRole('button', { name: 'Refresh Flaky' }).click();
    await expect(flaky).toHaveAttribute('aria-busy', 'false');
    await expect(flaky.getByRole('alert')).toBeVisible();
    await expect(healthy.getByRole('alert')).toHaveCount(0);
  } finally {
    await forwarder.kill().catch(() => undefined);
  }
});

test('a Tracardi API that is down: its tenant is unreachable, the other instance verifies', async ({
  tenantConsole,
}) => {
  const upSims = await tenantConsole.sims(0);
  const downSims = await tenantConsole.sims(1);
  const core = await tenantConsole.core();
  await addInstance(core, { id: 'up', name: 'Up', sims: upSims, suffix: 'up.e2e.test', expectedAddress: '127.0.0.2' });
  await addInstance(core, {
    id: 'down',
    name: 'Down',
    sims: downSims,
    suffix: 'down.e2e.test',
    expectedAddress: '127.0.0.3',
  });
  const upTenant = unique('alive');
  const downTenant = unique('gone');
  const created = await core.tenants.create({
    instanceId: 'up',
    domain: `${upTenant}.up.e2e.test`,
    email: 'ops@example.com',
    tokenLifetimeDays: 7,
  });
  await core.tenants.create({
    instanceId: 'down',
    domain: `${downTenant}.down.e2e.test`,
    email: 'ops@example.com',
    tokenLifetimeDays: 7,
  });
  const token = (await core.tenants.revealToken('up', upTenant)).token;
  const install = await installTenant({ tracardiUrl: upSims.tracardi.url, host: created.apiDomain, token });
  expect(install.status, install.body).toBe(200);

  const page = await tenantConsole.launch({
    resolve: ['*.up.e2e.test=127.0.0.2', '*.down.e2e.test=127.0.0.3'],
    hash: '#/verify',
  });
  downSims.tracardi.setFault({ kind: 'down' });
  await page.getByRole('button', { name: 'Start verification' }).click();
  await expect(page.getByText(/2 of 2 checked — finished/)).toBeVisible();
  const up = page.getByRole('row', { name: new RegExp(`^${upTenant}\\b`) });
  const down = page.getByRole('row', { name: new RegExp(`^${downTenant}\\b`) });
  await expect(up.getByRole('cell').nth(1)).toHaveText('installed');
  await expect(down.getByRole('cell').nth(1)).toHaveText('unreachable');
  await expect(down).toContainText('Could not tell: Tracardi GET /install');
  await tenantConsole.screenshot('verify-tracardi-down');
});
