// The index browser, opened from a drift: an installed tenant loses an index, Verify says drift, and
// "Indices of <tenant>" (the Verify result's evidence, the tenant's details, a Changes entry) opens
// the instance's indices filtered to that tenant: names, health, documents, size, its aliases and
// templates, and which artefacts the verification found missing, still missing now. A pattern typed
// in is a link too.
import { test, expect } from './fixtures';
import { pageHash } from './support/page-state';
import { addInstance, installTenant, unique } from './support/world';

test('from a drift to the instance’s indices of that tenant, with what is missing', async ({ tenantConsole }) => {
  test.setTimeout(240_000);
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  const suffix = 'idx.e2e.test';
  await addInstance(core, { id: 'idx-a', name: 'Indexed A', sims, suffix, expectedAddress: '127.0.0.2' });
  const tenant = unique('idx');
  await core.tenants.create({
    instanceId: 'idx-a',
    domain: `${tenant}.${suffix}`,
    email: `admin@${tenant}.example.com`,
    tokenLifetimeDays: 7,
  });
  const { token } = await core.tenants.revealToken('idx-a', tenant);
  expect((await installTenant({ tracardiUrl: sims.tracardi.url, host: `${tenant}.${suffix}`, token })).status).toBe(
    200,
  );
  const listed = (await (
    await fetch(`${sims.esUrl}/_cat/indices/*.${tenant}.tracardi-*?h=index&format=json&s=index`)
  ).json()) as { index: string }[];
  const lost = listed.find((i) => i.index.includes('.tracardi-session-'))!.index;
  expect((await fetch(`${sims.esUrl}/${lost}`, { method: 'DELETE' })).status).toBe(200);

  const page = await tenantConsole.launch({ resolve: [`*.${suffix}=127.0.0.2`], hash: '#/verify' });
  await page.getByRole('button', { name: 'Start verification' }).click();
  await expect(page.getByText(/1 of 1 checked — finished/)).toBeVisible();
  await page.getByRole('button', { name: `Evidence for ${tenant} on Indexed A` }).click();
  await page.getByRole('link', { name: `Indices of ${tenant}` }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Indices on Indexed A' })).toBeVisible();
  expect(await pageHash(page)).toBe(`#/indices/idx-a?tenant=${tenant}`);
  const table = page.getByTestId('index-table');
  await expect(table.locator('tbody tr')).toHaveCount(listed.length - 1);
  const event = table.locator('tbody tr').filter({ hasText: '.tracardi-event-' }).first();
  await expect(event.getByRole('cell').first()).toHaveText('green');
  await expect(table.locator(`[data-index="${lost}"]`)).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'matching' })).toContainText(`*.${tenant}.tracardi-*`);
  await expect(page.getByRole('list', { name: 'Aliases' })).toContainText(`.${tenant}.tracardi-`);
  await expect(page.getByRole('list', { name: 'Index templates' })).toContainText(`.${tenant}.tracardi-`);
  // What the verification found missing, checked against the instance now.
  const missing = page.getByRole('list', { name: 'Missing artefacts' });
  await expect(missing).toContainText('tracardi-session-');
  await expect(missing.locator('li').filter({ hasText: 'tracardi-session-' }).first()).toContainText('still missing');
  // The columns sort (documents, largest first).
  await table.getByRole('button', { name: /Documents/ }).click();
  await expect(table.getByRole('columnheader', { name: /Documents/ })).toHaveAttribute('aria-sort', 'descending');

  // The same link from the tenant's details on the Tenants screen, and a typed pattern.
  await tenantConsole.goto(`#/tenants?sel=idx-a/${tenant}`);
  const details = page.getByRole('region', { name: `Details of ${tenant} on Indexed A` });
  await details.getByRole('link', { name: `Indices of ${tenant}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Indices on Indexed A' })).toBeVisible();
  const form = page.getByRole('search', { name: 'Which indices' });
  await form.getByLabel('Tenant or index pattern').fill(`*.${tenant}.tracardi-event-*`);
  await form.getByRole('button', { name: 'Show indices' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(
    listed.filter((i) => i.index.includes('.tracardi-event-')).length,
  );
  await expect.poll(() => pageHash(page)).toBe(`#/indices/idx-a?pattern=*.${tenant}.tracardi-event-*`);
  await page.goBack();
  await expect(page.getByRole('list', { name: 'Missing artefacts' })).toBeVisible();
});
