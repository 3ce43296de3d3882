// A tenant misrouted by DNS: its API domain resolves to the other instance's address. Verification
// names that instance; the correctly routed tenant next to it is fine. Instance A expects its tenant
// domains at 127.0.0.2, instance B at 127.0.0.3 (the probes still go to each instance's API URL).
import { test, expect } from './fixtures';
import { addInstance, unique } from './support/world';

test('a tenant whose domain points at the other instance is reported misrouted', async ({ tenantConsole }) => {
  const simsA = await tenantConsole.sims(0);
  const simsB = await tenantConsole.sims(1);
  const core = await tenantConsole.core();
  await addInstance(core, {
    id: 'inst-a',
    name: 'Instance A',
    sims: simsA,
    suffix: 'a.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  await addInstance(core, {
    id: 'inst-b',
    name: 'Instance B',
    sims: simsB,
    suffix: 'b.e2e.test',
    expectedAddress: '127.0.0.3',
  });
  const good = unique('routed');
  const bad = unique('misrouted');
  for (const tenant of [good, bad]) {
    await core.tenants.create({
      instanceId: 'inst-a',
      domain: `${tenant}.a.e2e.test`,
      email: 'ops@example.com',
      tokenLifetimeDays: 7,
    });
  }

  const page = await tenantConsole.launch({
    // The exact entry wins over the wildcard: one tenant of A resolves to B's address.
    resolve: ['*.a.e2e.test=127.0.0.2', '*.b.e2e.test=127.0.0.3', `${bad}.a.e2e.test=127.0.0.3`],
    hash: '#/verify',
  });
  await page.getByRole('button', { name: 'Start verification' }).click();
  await expect(page.getByText(/2 of 2 checked — finished/)).toBeVisible();
  const misrouted = page.getByRole('row', { name: new RegExp(`^${bad}\\b`) });
  await expect(misrouted.getByRole('cell').nth(1)).toHaveText('misrouted');
  await expect(misrouted).toContainText(
    `API domain ${bad}.a.e2e.test resolves to 127.0.0.3: instance "inst-b" (expected 127.0.0.2)`,
  );
  const routed = page.getByRole('row', { name: new RegExp(`^${good}\\b`) });
  await expect(routed.getByRole('cell').nth(1)).toHaveText('registered');

  await misrouted.getByRole('button', { name: `Evidence for ${bad} on Instance A` }).click();
  await expect(page.getByRole('main')).toContainText('127.0.0.3');
  await tenantConsole.screenshot('verify-misrouted');

  // The Tenants list filters on the last verification.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenants' }).click();
  await page.getByLabel('Verification status').selectOption('misrouted');
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 1 of 2 tenants');
  await expect(page.locator(`[role="row"][data-tenant="${bad}"]`)).toContainText('verified: misrouted');
  await expect(page.locator(`[role="row"][data-tenant="${good}"]`)).toHaveCount(0);
  await tenantConsole.screenshot('tenants-misrouted');
});
