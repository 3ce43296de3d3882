// Keyboard shortcuts drive the main actions, and the production environment guards destructive
// ones: deleting a production tenant needs its name typed; cancelling leaves everything in place.
import { test, expect } from './fixtures';
import { accountFor } from '../../main/services/keychain';
import { addInstance, unique } from './support/world';

test('shortcuts move between screens; a production delete needs the tenant typed', async ({ tenantConsole }) => {
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  await addInstance(core, {
    id: 'inst-prod',
    name: 'Prod EU',
    environment: 'production',
    sims,
    suffix: 'prod.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  const tenant = unique('guarded');
  await core.tenants.create({
    instanceId: 'inst-prod',
    domain: `${tenant}.prod.e2e.test`,
    email: 'ops@example.com',
    tokenLifetimeDays: 7,
  });

  const page = await tenantConsole.launch();
  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
  await expect(heading('Fleet')).toBeVisible();

  // Two-key sequences and single keys, from the page body.
  await page.keyboard.press('g');
  await page.keyboard.press('t');
  await expect(heading('Tenants')).toBeVisible();
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search tenants' })).toBeFocused();
  // Typing in a field is typing, not shortcuts: "n" lands in the search box.
  await page.keyboard.type('n');
  await expect(page.getByRole('searchbox', { name: 'Search tenants' })).toHaveValue('n');
  await expect(heading('Tenants')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search tenants' }).fill('');
  await page.getByRole('searchbox', { name: 'Search tenants' }).blur();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Go to Tenants');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.keyboard.press('n');
  await expect(heading('New tenant')).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await expect(heading('Audit log')).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('t');
  await expect(heading('Tenants')).toBeVisible();

  // The production tenant: delete asks for its name; a wrong name keeps the button disabled.
  await page.getByRole('button', { name: tenant, exact: true }).click();
  await page.getByRole('button', { name: 'Delete tenant' }).click();
  const confirm = page.getByRole('dialog', { name: `Delete tenant ${tenant}?` });
  await expect(confirm).toBeVisible();
  const confirmButton = confirm.getByRole('button', { name: 'Delete tenant' });
  await expect(confirmButton).toBeDisabled();
  await confirm.getByLabel(`Type ${tenant} to confirm`).fill(`${tenant}x`);
  await expect(confirmButton).toBeDisabled();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  expect((await (await tenantConsole.core()).tenants.list()).map((r) => r.tenant)).toContain(tenant);
  expect(sims.tms.tenants().has(tenant)).toBe(true);

  await page.getByRole('button', { name: 'Delete tenant' }).click();
  await confirm.getByLabel(`Type ${tenant} to confirm`).fill(tenant);
  await expect(confirmButton).toBeEnabled();
  await confirmButton.click();
  await expect(confirm).toBeHidden();
  await expect(page.locator(`[role="row"][data-tenant="${tenant}"]`)).toHaveCount(0);
  const after = await tenantConsole.core();
  expect((await after.tenants.list()).map((r) => r.tenant)).not.toContain(tenant);
  // Gone from the keychain and from the instance's TMS too.
  expect(await after.secrets.get(accountFor.token('inst-prod', tenant))).toBeNull();
  expect(sims.tms.tenants().has(tenant)).toBe(false);
});
