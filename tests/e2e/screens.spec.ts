// Every main screen in a lived-in state (two instances, a handful of tenants in different states, a
// fleet verification), saved to tests/e2e/screenshots/<project>/. With E2E_UPDATE_DOCS=1 the Fleet,
// Tenants and New tenant pictures of the browser-shell run are also copied to docs/screenshots/ (the
// README shows them).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { REPO_ROOT } from './support/build';
import { addInstance, esUrls, installTenant } from './support/world';
import { deleteTenantArtefacts } from '../simulator';

// Fixed, readable names for the pictures: left-overs of an interrupted run are removed first.
const EU = ['acmecorp', 'globex', 'initech', 'umbrella', 'soylent'];
const US = ['hooli', 'piedpiper', 'starkind', 'wayneent'];

test('every main screen, for the record', async ({ tenantConsole }, testInfo) => {
  const [esA, esB] = esUrls();
  await Promise.all([...EU.map((t) => deleteTenantArtefacts(esA, t)), ...US.map((t) => deleteTenantArtefacts(esB, t))]);
  const eu = await tenantConsole.sims(0);
  const us = await tenantConsole.sims(1);
  const core = await tenantConsole.core();
  await addInstance(core, {
    id: 'eu-prod',
    name: 'EU production',
    environment: 'production',
    colour: '#c62828',
    sims: eu,
    suffix: 'eu.example.test',
    expectedAddress: '127.0.0.2',
  });
  await addInstance(core, {
    id: 'us-staging',
    name: 'US staging',
    environment: 'staging',
    colour: '#2f6fde',
    sims: us,
    suffix: 'us.example.test',
    expectedAddress: '127.0.0.3',
  });
  const create = (instanceId: string, suffix: string, tenant: string) =>
    core.tenants.create({
      instanceId,
      domain: `${tenant}.${suffix}`,
      email: `admin@${tenant}.example.com`,
      tokenLifetimeDays: 30,
    });
  for (const t of EU) await create('eu-prod', 'eu.example.test', t);
  for (const t of US) await create('us-staging', 'us.example.test', t);
  const install = async (instanceId: string, tracardiUrl: string, suffix: string, tenant: string) => {
    const { token } = await core.tenants.revealToken(instanceId, tenant);
    const reply = await installTenant({ tracardiUrl, host: `${tenant}.${suffix}`, token });
    expect(reply.status, reply.body).toBe(200);
  };
  await install('eu-prod', eu.tracardi.url, 'eu.example.test', 'acmecorp');
  await install('eu-prod', eu.tracardi.url, 'eu.example.test', 'initech');
  await install('us-staging', us.tracardi.url, 'us.example.test', 'hooli');
  await core.tenants.markHandedOver('eu-prod', 'globex');
  await core.tenants.markHandedOver('us-staging', 'piedpiper');
  await core.tenants.revoke('us-staging', 'wayneent');

  const page = await tenantConsole.launch({
    resolve: ['*.eu.example.test=127.0.0.2', '*.us.example.test=127.0.0.3', 'umbrella.eu.example.test=127.0.0.3'],
  });
  const nav = page.getByRole('navigation', { name: 'Main' });
  const saved: Record<string, string> = {};

  // Verify first, so the Tenants list carries the statuses.
  await nav.getByRole('link', { name: 'Verify' }).click();
  await page.getByRole('button', { name: 'Start verification' }).click();
  await expect(page.getByText(/9 of 9 checked — finished/)).toBeVisible();
  await expect(page.getByRole('list', { name: 'Results per status' })).toContainText('misrouted: 1');
  saved.verify = await tenantConsole.screenshot('verify');

  await nav.getByRole('link', { name: 'Fleet' }).click();
  for (const name of ['EU production', 'US staging']) {
    await expect(page.getByRole('article', { name }).getByText('Cluster health')).toBeVisible();
  }
  saved.fleet = await tenantConsole.screenshot('fleet');

  await page.getByRole('article', { name: 'EU production' }).getByRole('link', { name: 'EU production' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'EU production' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('acmecorp');
  saved.instance = await tenantConsole.screenshot('instance');

  await nav.getByRole('link', { name: 'Tenants' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 9 of 9 tenants');
  await expect(page.locator('[role="row"][data-tenant="umbrella"]')).toContainText('verified: misrouted');
  await page.locator('[role="row"][data-tenant="acmecorp"]').getByRole('button', { name: 'acmecorp' }).click();
  await expect(page.getByRole('region', { name: 'Details of acmecorp on EU production' })).toContainText(
    'Status evidence',
  );
  saved.tenants = await tenantConsole.screenshot('tenants');

  await nav.getByRole('link', { name: 'New tenant' }).click();
  const form = page.getByRole('form', { name: 'New tenant' });
  await form.getByLabel('Instance').selectOption('us-staging');
  await form.getByLabel('Tenant API domain').pressSequentially('Company-X', { delay: 20 });
  await expect(form.getByLabel('Derived tenant name')).toHaveText('companyx');
  await expect(form.locator('.check', { hasText: 'Capacity:' })).toHaveClass(/check-ok/);
  await form.getByLabel('Contact e-mail').fill('admin@company-x.com');
  saved['new-tenant'] = await tenantConsole.screenshot('new-tenant');

  await nav.getByRole('link', { name: 'Instances' }).click();
  await expect(page.getByRole('row', { name: /EU production/ })).toContainText('stored in keychain: tms-api-key');
  saved.instances = await tenantConsole.screenshot('instances');

  await nav.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('main')).toContainText('verify');
  saved.audit = await tenantConsole.screenshot('audit');

  if (process.env.E2E_UPDATE_DOCS === '1' && testInfo.project.name === 'browser-shell') {
    const docs = join(REPO_ROOT, 'docs', 'screenshots');
    mkdirSync(docs, { recursive: true });
    for (const name of ['fleet', 'tenants', 'new-tenant'])
      copyFileSync(saved[name] as string, join(docs, `${name}.png`));
  }
});
