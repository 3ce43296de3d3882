// Create a tenant from the New tenant screen: the name is derived as the operator types, a second
// domain with the same name is refused, a full instance refuses one more tenant; then the token is
// revealed and copied, the simulated tenant installs with it, and Verify shows it installed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { addInstance, installTenant, unique, withClusterSetting } from './support/world';

test('create a tenant, reveal and copy its token, install it, verify shows installed', async ({ tenantConsole }) => {
  const sims = await tenantConsole.sims(0);
  await addInstance(await tenantConsole.core(), {
    id: 'inst-a',
    name: 'Instance A',
    sims,
    suffix: 'a.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  const label = unique('acme');
  const tenant = label; // letters and digits only: the derived name is the label without the dash below
  const rnd = label.slice('acme'.length);
  const domain = `acme-${rnd}.a.e2e.test`;
  const page = await tenantConsole.launch({ resolve: ['*.a.e2e.test=127.0.0.2'], hash: '#/new-tenant' });

  const form = page.getByRole('form', { name: 'New tenant' });
  const domainInput = form.getByLabel('Tenant API domain');
  const derived = form.getByLabel('Derived tenant name');

  // Live preview: the name follows every keystroke, before any call to the core.
  await domainInput.pressSequentially('Acme', { delay: 15 });
  await expect(derived).toHaveText('acme');
  await domainInput.pressSequentially(`-${rnd}`, { delay: 15 });
  await expect(derived).toHaveText(tenant);
  await expect(form).toContainText(`from ${domain}`);
  // Then the core's checks: no collision anywhere, room on the instance.
  await expect(form.getByText(`No collision: ${tenant} is not known`)).toBeVisible();
  await expect(form.locator('.check', { hasText: 'Capacity:' })).toHaveClass(/check-ok/);
  await expect(form.getByLabel('GUI domain')).toHaveValue(`acme-${rnd}-gui.a.e2e.test`);
  await form.getByLabel('Contact e-mail').fill(`admin@${label}.example.com`);
  await tenantConsole.screenshot('new-tenant');

  await form.getByRole('button', { name: 'Create tenant' }).click();
  await expect(page.getByRole('heading', { name: `Tenant ${tenant} created on Instance A` })).toBeVisible();
  expect(sims.tms.tenants().has(tenant)).toBe(true);

  // The token stays hidden until revealed; it is the one the TMS holds.
  const panel = page.getByRole('region', { name: `Installation token for ${tenant}` });
  await expect(panel.getByText('The token is hidden.')).toBeVisible();
  await panel.getByRole('button', { name: 'Reveal token' }).click();
  const tokenText = panel.getByTestId('revealed-token');
  await expect(tokenText).toHaveText(/\S{20,}/);
  const token = (await tokenText.textContent())?.trim() ?? '';
  expect(token).toBe(sims.tms.tenants().get(tenant)?.install_token);
  await tenantConsole.screenshot('new-tenant-created');

  await panel.getByRole('button', { name: 'Copy token' }).click();
  await expect(panel.getByRole('status')).toContainText('Token copied to the clipboard');
  expect(await tenantConsole.readClipboard()).toBe(token);
  if (tenantConsole.kind === 'browser-shell') {
    // The browser shell's server may be a jump host: the sheet downloads to this browser, and
    // nothing is written on the server's disk.
    const downloading = page.waitForEvent('download');
    await panel.getByRole('button', { name: 'Export hand-off sheet' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`tracardi-handoff-inst-a-${tenant}.md`);
    expect(readFileSync(await download.path(), 'utf8')).toContain(`| Installation token | \`${token}\` |`);
    await expect(panel.getByRole('status')).toContainText(`downloaded as tracardi-handoff-inst-a-${tenant}.md`);
    expect(existsSync(join(tenantConsole.dataDir, 'exports'))).toBe(false);
  }
  await panel.getByRole('button', { name: 'Mark handed over' }).click();
  await expect(panel.getByRole('status')).toContainText(`${tenant} marked as handed over`);

  // A second domain deriving the same name is refused before anything is created.
  await page.getByRole('button', { name: 'Close' }).click();
  await domainInput.fill(`${tenant}.a.e2e.test`);
  await expect(derived).toHaveText(tenant);
  const collision = form.getByRole('alert').filter({ hasText: 'Collision:' });
  await expect(collision).toContainText(`the tenant name ${tenant} is already known`);
  await expect(collision).toContainText('in records');
  await expect(collision).toContainText('in tms');
  await expect(form.getByRole('button', { name: 'Create tenant' })).toBeDisabled();
  await tenantConsole.screenshot('new-tenant-collision');

  // The customer installs the tenant with the handed-over token.
  const install = await installTenant({ tracardiUrl: sims.tracardi.url, host: domain, token });
  expect(install.status, install.body).toBe(200);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Verify' }).click();
  await page.getByRole('button', { name: 'Start verification' }).click();
  await expect(page.getByText(/1 of 1 checked — finished/)).toBeVisible();
  const result = page.getByRole('row', { name: new RegExp(`^${tenant}\\b`) });
  await expect(result.getByRole('cell').nth(1)).toHaveText('installed');
  await expect(result).toContainText('Installed: schema and admin ok');
  await tenantConsole.screenshot('verify');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenants' }).click();
  const row = page.locator(`[role="row"][data-tenant="${tenant}"]`);
  await expect(row).toContainText('verified: installed');
  await row.getByRole('button', { name: tenant }).click();
  const details = page.getByRole('region', { name: `Details of ${tenant} on Instance A` });
  await expect(details).toContainText('Status evidence');
  await tenantConsole.screenshot('tenants-expanded');

  // Every step is in the audit log.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('main')).toContainText('create');
  await expect(page.getByRole('main')).toContainText('reveal');
  await tenantConsole.screenshot('audit');
});

test('a full instance refuses one more tenant unless the operator gives a reason', async ({ tenantConsole }) => {
  const sims = await tenantConsole.sims(1);
  await addInstance(await tenantConsole.core(), {
    id: 'inst-full',
    name: 'Full instance',
    sims,
    suffix: 'full.e2e.test',
    expectedAddress: '127.0.0.3',
  });
  // One shard per node: the cluster cannot take a tenant's indices (restored afterwards).
  const restore = await withClusterSetting(sims.esUrl, 'cluster.max_shards_per_node', 1);
  try {
    const page = await tenantConsole.launch();
    const card = page.getByRole('article', { name: 'Full instance' });
    await expect(card.locator('.room')).toHaveText(/Room for 0 more tenants; shard limit binds/);
    await expect(card.locator('.room')).toHaveClass(/room-none/);
    await tenantConsole.screenshot('fleet-full-instance');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New tenant' }).click();
    const form = page.getByRole('form', { name: 'New tenant' });
    const label = unique('full');
    await form.getByLabel('Tenant API domain').fill(label);
    await expect(form.getByLabel('Derived tenant name')).toHaveText(label);
    const capacity = form.locator('.check', { hasText: 'Capacity:' });
    await expect(capacity).toHaveClass(/check-failed/);
    await expect(capacity).toContainText('No room for another tenant');
    await expect(capacity).toContainText('max_shards_per_node');
    await form.getByLabel('Contact e-mail').fill(`admin@${label}.example.com`);
    await form.getByRole('button', { name: 'Create tenant' }).click();
    await expect(form.getByText('Capacity refuses one more tenant: write why you override it')).toBeVisible();
    await tenantConsole.screenshot('new-tenant-capacity-refused');
    expect(await (await tenantConsole.core()).tenants.list()).toEqual([]);
    expect(sims.tms.tenants().size).toBe(0);

    // With a written reason the operator may still create it; the record keeps the override.
    await form.getByLabel('Capacity override reason').fill('E2E: the cluster gets two more nodes tonight');
    await form.getByRole('button', { name: 'Create tenant' }).click();
    await expect(page.getByRole('heading', { name: `Tenant ${label} created on Full instance` })).toBeVisible();
    const [record] = await (await tenantConsole.core()).tenants.list();
    expect(record?.capacityOverride?.reason).toBe('E2E: the cluster gets two more nodes tonight');
  } finally {
    await restore();
  }
});
