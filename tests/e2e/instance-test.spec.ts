// Test connection on a saved instance in one click, from the Instances table and from the Instance
// screen: the stored settings and the keychain's secrets, the same three checks as the form's test.
// A wrong key stored in the keychain fails the TMS check only; the right one passes all three.
import { test, expect } from './fixtures';
import { addInstance } from './support/world';

test('a saved instance is tested in one click on the Instances and Instance screens', async ({ tenantConsole }) => {
  test.setTimeout(180_000);
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  await addInstance(core, {
    id: 'tst-a',
    name: 'Tested A',
    sims,
    suffix: 'tst.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  // The keychain holds a wrong TMS key for now.
  await core.instances.update('tst-a', {}, { 'tms-api-key': 'a-wrong-tms-key-0000' });

  const page = await tenantConsole.launch({ hash: '#/instances' });
  await page.getByRole('button', { name: 'Test connection to Tested A' }).click();
  const results = page.getByRole('region', { name: 'Connection test of Tested A' });
  const checks = results.getByRole('list', { name: 'Connection test results' });
  await expect(checks.locator('[data-target="tracardi"]')).toContainText('Tracardi API: ok');
  await expect(checks.locator('[data-target="elasticsearch"]')).toContainText('Elasticsearch: ok');
  await expect(checks.locator('[data-target="tms"]')).toContainText('Tenant Management Service (TMS): failed');
  // No form was opened, nothing was typed: the saved instance as it is.
  await expect(page.getByRole('form')).toHaveCount(0);

  // The right key stored (as the operator would in the form); the Instance screen's test uses it.
  await (await tenantConsole.core()).instances.update('tst-a', {}, { 'tms-api-key': sims.tmsApiKey });
  await tenantConsole.goto('#/instance/tst-a');
  await expect(page.getByRole('heading', { level: 1, name: 'Tested A' })).toBeVisible();
  await page.getByRole('button', { name: 'Test connection' }).click();
  const again = page.getByRole('region', { name: 'Connection test of Tested A' });
  for (const target of ['tracardi', 'tms', 'elasticsearch'])
    await expect(again.locator(`[data-target="${target}"]`)).toHaveClass(/check-ok/);
  await expect(again).not.toContainText(sims.tmsApiKey);
});
