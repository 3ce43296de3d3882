// The fleet that already exists: tenants installed on an instance without the console (registered
// in its TMS, installed through Tracardi) show on "Found on instance" with their evidence; one is
// adopted with its token (a wrong one is refused), the rest with "Adopt all"; nothing changes on
// the instance. A single-tenant instance's New tenant screen says why no tenant is created on it.
import { randomBytes } from 'node:crypto';
import { startTracardi } from '../simulator';
import { test, expect } from './fixtures';
import { addInstance, esUrls, installTenant, unique } from './support/world';

test('Found on instance: evidence, adopt one with its token, adopt all; the instance is unchanged', async ({
  tenantConsole,
}) => {
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  await addInstance(core, { id: 'inst-f', name: 'Found A', sims, suffix: 'f.e2e.test', expectedAddress: '127.0.0.2' });
  const names = [unique('old'), unique('old'), unique('old')].sort();
  const tokens = new Map(names.map((n) => [n, randomBytes(16).toString('hex')]));
  for (const name of names) {
    sims.tms.tenants().set(name, {
      id: `id-${name}`,
      created: new Date().toISOString(),
      name,
      install_token: tokens.get(name)!,
      email: null,
      expire: null,
    });
    const reply = await installTenant({
      tracardiUrl: sims.tracardi.url,
      host: `${name}.f.e2e.test`,
      token: tokens.get(name)!,
    });
    expect(reply.status, reply.body).toBe(200);
  }
  const tmsBefore = JSON.stringify([...sims.tms.tenants().entries()]);
  const installsBefore = sims.tracardi.calls.filter((c) => c.method === 'POST').length;

  const page = await tenantConsole.launch({ hash: '#/found/inst-f' });
  await expect(page.getByRole('heading', { name: 'Found on instance' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Tenants found on Found A' });
  for (const name of names) {
    const row = table.getByRole('row', { name });
    await expect(row).toContainText('installed');
    await expect(row).toContainText('0.9.x: staging, production');
    await expect(row).toContainText('12 indices, 12 primary shards');
    await expect(row).toContainText('registered'); // the TMS confirms it
  }
  await expect(page.getByText(/only GET \/tenant\/\{name\}.*cannot list/)).toBeVisible();
  await tenantConsole.screenshot('found-on-instance');

  // Adopt one: the proposed domain derives it back; a wrong token is refused, the right one kept.
  const [first, ...rest] = names as [string, ...string[]];
  await table.getByRole('button', { name: `Adopt ${first}` }).click();
  const dialog = page.getByRole('dialog', { name: `Adopt ${first}` });
  await expect(dialog.getByLabel('Tenant API domain')).toHaveValue(`${first}.f.e2e.test`);
  const tokenInput = dialog.getByLabel('Existing installation token (optional)');
  await expect(tokenInput).toHaveAttribute('type', 'password');
  await tokenInput.fill('not-the-token');
  await dialog.getByRole('button', { name: 'Adopt', exact: true }).click();
  await expect(dialog).toContainText('not the installation token the TMS of inst-f holds; nothing was stored');
  expect(await (await tenantConsole.core()).tenants.list({ instanceId: 'inst-f' })).toEqual([]);
  await tokenInput.fill(tokens.get(first)!);
  await dialog.getByRole('button', { name: 'Adopt', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(table.getByRole('row', { name: first })).toHaveCount(0);
  await expect(page.getByText(`Already recorded here: ${first}`)).toBeVisible();
  const adopted = await (await tenantConsole.core()).tenants.get('inst-f', first);
  expect(adopted).toMatchObject({ state: 'installed', adopted: { token: 'checked' } });

  // Adopt all: every other adoptable tenant gets a record.
  await page.getByRole('button', { name: /^Adopt all \(\d+\)$/ }).click();
  for (const name of rest) await expect(table.getByRole('row', { name })).toHaveCount(0);
  const records = (await (await tenantConsole.core()).tenants.list({ instanceId: 'inst-f' })).map((r) => r.tenant);
  expect(records).toEqual(expect.arrayContaining(names));
  for (const name of rest)
    expect(await (await tenantConsole.core()).tenants.get('inst-f', name)).toMatchObject({
      adopted: { token: 'unknown' },
    });

  // Nothing on the instance changed: the TMS holds the same entries, nothing was installed.
  expect(JSON.stringify([...sims.tms.tenants().entries()])).toBe(tmsBefore);
  expect(sims.tracardi.calls.filter((c) => c.method === 'POST').length).toBe(installsBefore);

  // The adopted tenants are in the list, and deleting one says its data stays.
  await tenantConsole.goto('#/tenants');
  await page.getByRole('button', { name: first, exact: true }).click();
  await page.getByRole('button', { name: 'Delete tenant' }).click();
  const confirm = page.getByRole('dialog', { name: `Delete tenant ${first}?` });
  await expect(confirm).toContainText('Forgets the adopted tenant');
  await expect(confirm).toContainText('Its TMS entry and its Elasticsearch data stay');
  await tenantConsole.screenshot('forget-adopted');
});

test('a single-tenant instance: New tenant explains why it refuses, and points to adoption', async ({
  tenantConsole,
}) => {
  const tenant = unique('solo');
  const esUrl = esUrls()[1];
  const tracardi = await startTracardi({ version: '0.8.x', esUrl, multiTenant: false, tenantName: tenant });
  try {
    const core = await tenantConsole.core();
    await core.instances.add({
      id: 'solo-inst',
      name: 'Solo 0.8.2',
      environment: 'staging',
      apiUrl: tracardi.url,
      tenantDomainSuffix: 'solo.e2e.test',
      tracardiVersion: '0.8.x',
      tenancy: 'single-tenant',
      singleTenantName: tenant,
      es: { nodes: [esUrl], timeoutMs: 5000 },
    });
    const page = await tenantConsole.launch({ hash: '#/new-tenant/solo-inst' });
    const form = page.getByRole('form', { name: 'New tenant' });
    const note = form.getByRole('note', { name: 'Single-tenant instance' });
    await expect(note).toContainText('Solo 0.8.2 is single-tenant');
    await expect(note).toContainText(`it serves exactly one tenant, ${tenant}, fixed by the instance`);
    await expect(form.getByRole('button', { name: 'Create tenant' })).toBeDisabled();
    await tenantConsole.screenshot('new-tenant-single-tenant');

    await note.getByRole('link', { name: `Adopt ${tenant} instead` }).click();
    await expect(page.getByRole('heading', { name: 'Found on instance' })).toBeVisible();
    const row = page.getByRole('table', { name: 'Tenants found on Solo 0.8.2' }).getByRole('row', { name: tenant });
    await expect(row).toContainText('none (single-tenant)');
    await expect(page.getByText(`Single-tenant instance: it serves only ${tenant}`)).toBeVisible();
  } finally {
    await tracardi.stop();
  }
});
