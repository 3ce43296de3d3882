// The window speaks the window's words: no tenantctl flag or command and no raw schema text in any
// message it shows, whether the renderer wrote it or main sent it; counts read as words ("1 tenant on
// 1 instance"); the capacity text reads as sentences, the snapshot's cost under "About this snapshot";
// help that points at Found on instance points at a link that exists.
import { randomBytes } from 'node:crypto';
import type { Locator } from '@playwright/test';
import { test, expect } from './fixtures';
import { addInstance, installTenant, unique } from './support/world';

/** What the window must never say. */
const WRONG_LAYER =
  /(^|[\s("'`[,;:])--[a-z]|\btenantctl\b|Too big:|Too small:|Invalid arguments for|Invalid input|expected string/;

async function speaksUi(where: Locator, what: string): Promise<void> {
  const text = await where.innerText();
  expect(text, `${what}: ${text}`).not.toMatch(WRONG_LAYER);
}

test('messages from the renderer and from main speak the window’s words', async ({ tenantConsole }) => {
  test.setTimeout(300_000);
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  const suffix = 'words.e2e.test';
  await addInstance(core, { id: 'eu-words', name: 'EU words', sims, suffix, expectedAddress: '127.0.0.2' });
  // A second instance whose Elasticsearch never answers: its History stays empty.
  await addInstance(core, {
    id: 'eu-dark',
    name: 'EU dark',
    sims,
    suffix: `dark.${suffix}`,
    expectedAddress: '127.0.0.2',
    esNode: 'http://127.0.0.1:9',
    esTimeoutMs: 1000,
  });
  const lost = unique('lost');
  await core.tenants.create({
    instanceId: 'eu-words',
    domain: `${lost}.${suffix}`,
    email: `ops@${lost}.example.com`,
    tokenLifetimeDays: 30,
  });
  // A tenant the instance holds that the console never created (Found on instance lists it).
  const held = unique('held');
  const secret = randomBytes(16).toString('hex');
  sims.tms.tenants().set(held, {
    id: `id-${held}`,
    created: new Date().toISOString(),
    name: held,
    install_token: secret,
    email: null,
    expire: null,
  });
  expect(
    (await installTenant({ tracardiUrl: sims.tracardi.url, host: `${held}.${suffix}`, token: secret })).status,
  ).toBe(200);

  // No DNS for the tenant: verification says which domain has no address, in a sentence.
  const page = await tenantConsole.launch({ hash: '#/verify' });
  await page.getByRole('radio', { name: 'One instance' }).check();
  await page.getByLabel('Instance to verify').selectOption('eu-words');
  await page.getByRole('button', { name: 'Start verification' }).click();
  await expect(page.getByText(/1 of 1 checked — finished/)).toBeVisible();
  await expect(page.getByRole('main')).toContainText(
    `The API domain has no address: ${lost}.${suffix} does not resolve`,
  );
  await expect(page.getByRole('main')).not.toContainText('Tenant is its');

  // The audit log counts in words.
  await tenantConsole.goto('#/audit');
  await expect(page.getByRole('main')).toContainText('instance eu-words: 1 tenant on 1 instance (unreachable 1)');

  // The instance form: credentials in URLs and an 81-character name, refused in the form's words.
  await tenantConsole.goto('#/instances');
  await page.getByRole('button', { name: 'Add instance' }).click();
  const form = page.getByRole('form', { name: 'Add instance' });
  await form.getByLabel('Display name').fill('N'.repeat(81));
  await form.getByLabel('TMS URL').fill('https://admin:s3cret@tms.words.example.com');
  await form.getByLabel('Elasticsearch nodes (one per line)').fill('https://elastic:s3cret@es.words.example.com:9200');
  await form.getByRole('button', { name: 'Save instance' }).click();
  await expect(form.getByText('at most 80 characters')).toBeVisible();
  await expect(form.getByText(/the Elasticsearch username and password fields\)$/)).toBeVisible();
  await expect(form.getByText(/the TMS API key field\)$/)).toBeVisible();
  await speaksUi(form, 'the instance form');
  await form.getByRole('button', { name: 'Cancel' }).click();

  // History with no sample yet names what adds one, not a command.
  await tenantConsole.goto('#/history/eu-dark');
  await expect(page.getByText(/^No history yet/)).toBeVisible();
  await speaksUi(page.getByRole('main'), 'History, empty');

  // The Instance screen: capacity in sentences; the snapshot's cost under its own disclosure; the
  // link Found on instance, where the adopt help points.
  await tenantConsole.goto('#/instance/eu-words');
  const capacity = page.getByRole('region', { name: 'Capacity' });
  await expect(capacity).toContainText(/Disk watermarks: low \S+, high \S+, flood stage \S+\./);
  await expect(capacity.getByText(/requests to Elasticsearch/)).toBeHidden();
  await capacity.getByText('About this snapshot').click();
  await expect(capacity.getByText(/^\d+ requests to Elasticsearch, .* received, in /)).toBeVisible();
  await page.getByRole('link', { name: 'Found on instance' }).last().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Found on instance' })).toBeVisible();
  await expect(page.getByLabel('Instance', { exact: true })).toHaveValue('eu-words');

  // Main's refusal of bad arguments: the field and what it must be, not the call and zod's text.
  const table = page.getByRole('table', { name: 'Tenants found on EU words' });
  await table.getByRole('button', { name: `Adopt ${held}` }).click();
  const dialog = page.getByRole('dialog', { name: `Adopt ${held}` });
  await dialog.getByLabel('Tenant API domain').fill(`${'a'.repeat(300)}.${suffix}`);
  await dialog.getByRole('button', { name: 'Adopt', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('Not accepted: the API domain: at most 300 characters.');
  await speaksUi(dialog, 'the adopt refusal');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // New tenant: a name Elasticsearch holds already links to Found on instance; the capacity line is words.
  await tenantConsole.goto('#/new-tenant/eu-words');
  const newTenant = page.getByRole('form', { name: 'New tenant' });
  await newTenant.getByLabel('Tenant API domain').fill(held);
  await expect(newTenant.getByRole('link', { name: 'Adopt it on Found on instance' })).toBeVisible();
  await newTenant.getByLabel('Tenant API domain').fill(unique('next'));
  await expect(newTenant.locator('.check', { hasText: 'Capacity:' })).toHaveText(
    /^Capacity: room for [\d,]+ more tenants?; (the shard limit|disk space) runs out first\.$/,
  );
  await speaksUi(newTenant, 'New tenant');
});
