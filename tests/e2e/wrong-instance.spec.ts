// Another Tracardi answers on an instance's API URL (a wrong DNS record, a load balancer on the
// wrong pool): the Verify screen reports wrong-instance naming who answered, never drift, and the
// evidence panel shows the identity expected and answered.
import { test, expect } from './fixtures';
import { startTracardi } from '../simulator';
import { addInstance, unique } from './support/world';

test('an API URL answered by another Tracardi is reported wrong-instance, naming it', async ({ tenantConsole }) => {
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  await addInstance(core, {
    id: 'inst-a',
    name: 'Instance A',
    sims,
    suffix: 'a.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  const tenant = unique('wronginst');
  await core.tenants.create({
    instanceId: 'inst-a',
    domain: `${tenant}.a.e2e.test`,
    email: 'ops@example.com',
    tokenLifetimeDays: 7,
  });

  // A single-tenant 0.8.2 named "otherinst" takes over the instance's API address and port.
  const port = sims.tracardi.port;
  await sims.tracardi.stop();
  const other = await startTracardi({
    version: '0.8.x',
    esUrl: sims.esUrl,
    multiTenant: false,
    tenantName: 'otherinst',
    port,
  });
  try {
    const page = await tenantConsole.launch({ resolve: ['*.a.e2e.test=127.0.0.2'], hash: '#/verify' });
    await page.getByRole('button', { name: 'Start verification' }).click();
    await expect(page.getByText(/1 of 1 checked — finished/)).toBeVisible();
    const row = page.getByRole('row', { name: new RegExp(`^${tenant}\\b`) });
    await expect(row.getByRole('cell').nth(1)).toHaveText('wrong-instance');
    await expect(row).toContainText('Another Tracardi answers on the API URL');
    await expect(row).toContainText('name "otherinst"');
    await expect(row).toContainText('version 0.8.2');
    await expect(row.getByText('wrong-instance')).toHaveAttribute('title', /Another Tracardi answers/);

    await row.getByRole('button', { name: `Evidence for ${tenant} on Instance A` }).click();
    const main = page.getByRole('main');
    await expect(main).toContainText('Identity');
    await expect(main).toContainText('mismatch');
    await expect(main).toContainText('db_version 0820 (expected 09x)');
    await expect(main).toContainText(`expected: tenant "${tenant}", 0.9.x, db_version 09x, multi-tenant`);
    await tenantConsole.screenshot('verify-wrong-instance');
  } finally {
    await other.stop();
  }
});
