// The Tenants table sorts by every column, and the URL holds the view: filters, sort, the selected
// (opened) tenant. A link opens that view; Back and Forward step through the operator's views.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { pageHash } from './support/page-state';
import { addInstance, unique } from './support/world';

/** The tenants in the order the table shows them. */
async function order(page: Page): Promise<string[]> {
  return page.locator('[data-testid="tenants-scroll"] [role="row"][data-tenant]').evaluateAll((rows) =>
    rows
      .map((r) => ({ t: r.getAttribute('data-tenant') ?? '', y: r.getBoundingClientRect().top }))
      .sort((a, b) => a.y - b.y)
      .map((r) => r.t),
  );
}

test('the Tenants table sorts by every column; filters, sort and the open tenant are in the URL; Back and Forward work', async ({
  tenantConsole,
}) => {
  test.setTimeout(240_000);
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  // The ids sort the other way round from the names the table shows: the sort is by what is shown.
  await addInstance(core, {
    id: 'zz-eu',
    name: 'Alpha EU',
    sims,
    suffix: 'alpha.url.test',
    expectedAddress: '127.0.0.2',
  });
  await addInstance(core, {
    id: 'aa-us',
    name: 'Beta US',
    sims,
    suffix: 'beta.url.test',
    expectedAddress: '127.0.0.3',
  });
  // A: "ab…"; C: "ac…" from the domain "a-c…" (a dash sorts before letters, so by domain C comes
  // before A, by name after it); K: "kiwi…", handed over.
  const A = unique('ab');
  const rest = unique('');
  const C = `ac${rest}`;
  const K = unique('kiwi');
  const create = (instanceId: string, domain: string, tenant: string) =>
    core.tenants.create({ instanceId, domain, email: `ops@${tenant}.example.com`, tokenLifetimeDays: 30 });
  await create('aa-us', `${A}.beta.url.test`, A);
  await create('zz-eu', `a-c${rest}.alpha.url.test`, C);
  await create('zz-eu', `${K}.alpha.url.test`, K);
  await core.tenants.markHandedOver('zz-eu', K);

  const page = await tenantConsole.launch({ hash: '#/tenants' });
  const table = page.getByRole('table', { name: 'Tenants' });
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 3 of 3 tenants');
  const header = (name: string) => table.getByRole('columnheader', { name });

  // By instance (its name as shown), then tenant.
  await expect(header('Instance')).toHaveAttribute('aria-sort', 'ascending');
  expect(await order(page)).toEqual([C, K, A]);

  // Every column sorts, both ways, and says so (ties: by instance, then tenant).
  const cases: [string, string, string[], string[]][] = [
    ['Tenant', 'tenant', [A, C, K], [K, C, A]],
    ['Instance', 'instance', [C, K, A], [A, C, K]],
    ['API domain', 'domain', [C, A, K], [K, A, C]],
    ['State', 'state', [K, C, A], [C, A, K]],
  ];
  for (const [name, param, asc, desc] of cases) {
    await header(name).getByRole('button').click();
    await expect(header(name)).toHaveAttribute('aria-sort', 'ascending');
    expect(await order(page)).toEqual(asc);
    // The default (instance, ascending) is the link without a sort.
    if (param === 'instance') expect(await pageHash(page)).not.toContain('sort=');
    else expect(await pageHash(page)).toContain(`sort=${param}:asc`);
    await header(name).getByRole('button').click();
    await expect(header(name)).toHaveAttribute('aria-sort', 'descending');
    expect(await order(page)).toEqual(desc);
    expect(await pageHash(page)).toContain(`sort=${param}:desc`);
  }
  await header('Verification').getByRole('button').click();
  await expect(header('Verification')).toHaveAttribute('aria-sort', 'ascending');
  await expect(header('Tenant')).toHaveAttribute('aria-sort', 'none');

  // A filter, then a tenant opened: each a step Back undoes.
  await header('Tenant').getByRole('button').click();
  await page.getByRole('search', { name: 'Filter tenants' }).getByLabel('Instance').selectOption('zz-eu');
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 2 of 3 tenants');
  await page.locator(`[role="row"][data-tenant="${K}"]`).getByRole('button', { name: K }).click();
  await expect(page.getByRole('region', { name: `Details of ${K} on Alpha EU` })).toBeVisible();
  expect(await pageHash(page)).toBe(`#/tenants?sort=tenant:asc&instance=zz-eu&sel=zz-eu/${K}`);

  await page.goBack();
  await expect(page.getByRole('region', { name: `Details of ${K} on Alpha EU` })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 2 of 3 tenants');
  await page.goBack();
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 3 of 3 tenants');
  await expect(page.getByRole('search', { name: 'Filter tenants' }).getByLabel('Instance')).toHaveValue('');
  await page.goForward();
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 2 of 3 tenants');
  await expect(page.getByRole('search', { name: 'Filter tenants' }).getByLabel('Instance')).toHaveValue('zz-eu');
  await page.goForward();
  await expect(page.getByRole('region', { name: `Details of ${K} on Alpha EU` })).toBeVisible();

  // Typing a search is one step, not one per letter.
  await page.getByRole('search', { name: 'Filter tenants' }).getByLabel('Search tenants').fill('');
  await page.getByRole('search', { name: 'Filter tenants' }).getByLabel('Search tenants').pressSequentially('a-c');
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 1 of 3 tenants');
  // The URL follows once the typing pauses.
  await expect.poll(() => pageHash(page)).toContain('q=a-c');
  await page.goBack();
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 2 of 3 tenants');
  expect(await pageHash(page)).not.toContain('q=');

  // Another screen and back through the navigation: the view is as it was left.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Verify' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenants' }).click();
  await expect(page.getByRole('region', { name: `Details of ${K} on Alpha EU` })).toBeVisible();
  await expect(header('Tenant')).toHaveAttribute('aria-sort', 'ascending');

  // A link opens that exact view: filters, sort, the open tenant.
  await tenantConsole.goto(`#/tenants?state=registered&sort=tenant:desc&sel=aa-us/${A}`);
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 2 of 3 tenants');
  expect(await order(page)).toEqual([C, A]);
  await expect(header('Tenant')).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByRole('search', { name: 'Filter tenants' }).getByLabel('Record state')).toHaveValue(
    'registered',
  );
  await expect(page.getByRole('region', { name: `Details of ${A} on Beta US` })).toBeVisible();
  // And after a reload (a link pasted into a fresh window).
  await page.reload();
  await expect(page.getByRole('region', { name: `Details of ${A} on Beta US` })).toBeVisible();
  expect(await order(page)).toEqual([C, A]);
});
