// One search box across the console (Ctrl+K, as in Lens and Grafana; also the button at the top of
// the navigation): a tenant found by its GUI domain or e-mail opens on the Tenants screen, scrolled
// to and expanded; an instance by its id opens its screen; a screen by its name. Arrow keys and
// Enter; Escape closes and gives the focus back.
import { test, expect } from './fixtures';
import { pageHash } from './support/page-state';
import { addInstance, unique } from './support/world';

test('Ctrl+K finds tenants by domain or e-mail and instances by id, and jumps there', async ({ tenantConsole }) => {
  test.setTimeout(240_000);
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  await addInstance(core, {
    id: 'srch-eu',
    name: 'Search EU',
    sims,
    suffix: 'srch.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  await addInstance(core, {
    id: 'srch-us',
    name: 'Search US',
    sims,
    suffix: 'us.srch.e2e.test',
    expectedAddress: '127.0.0.3',
  });
  const tenants = [unique('alpha'), unique('beta'), unique('gamma')];
  for (const [i, tenant] of tenants.entries())
    await core.tenants.create({
      instanceId: i === 2 ? 'srch-us' : 'srch-eu',
      domain: `${tenant}.${i === 2 ? 'us.' : ''}srch.e2e.test`,
      guiDomain: `console-${tenant}.example.org`,
      email: `owner-${tenant}@example.net`,
      tokenLifetimeDays: 30,
    });
  const gamma = tenants[2]!;

  const page = await tenantConsole.launch({ hash: '#/fleet' });
  await page.keyboard.press('Control+K');
  const dialog = page.getByRole('dialog', { name: 'Search' });
  const box = dialog.getByRole('combobox', { name: 'Search instances, tenants and domains' });
  await expect(box).toBeFocused();
  // By the GUI domain: the result says where it matched.
  await box.fill(`console-${gamma}`);
  const results = dialog.getByRole('listbox', { name: 'Search results' });
  await expect(results.getByRole('option')).toHaveCount(1);
  await expect(results.getByRole('option').first()).toContainText(gamma);
  await expect(results.getByRole('option').first()).toContainText(`GUI domain: console-${gamma}.example.org`);
  await expect(results.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await box.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Tenants' })).toBeVisible();
  await expect(page.getByRole('region', { name: `Details of ${gamma} on Search US` })).toBeVisible();
  expect(await pageHash(page)).toBe(`#/tenants?sel=srch-us/${gamma}`);

  // By e-mail, moving with the arrow keys; then an instance by its id; then a screen.
  await page.keyboard.press('Control+K');
  await box.fill('owner-');
  await expect(results.getByRole('option')).toHaveCount(3);
  await box.press('ArrowDown');
  await expect(results.getByRole('option').nth(1)).toHaveAttribute('aria-selected', 'true');
  await box.press('Escape');
  await expect(dialog).toHaveCount(0);
  await page.getByRole('button', { name: /^Search/ }).click();
  await box.fill('srch-eu');
  await expect(results.getByRole('option').first()).toContainText('Search EU');
  await box.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Search EU' })).toBeVisible();
  // The single-key shortcut opens it too (outside a text field).
  await page.keyboard.press('s');
  await box.fill('settings');
  await box.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  // Nothing found says so.
  await page.keyboard.press('Control+K');
  await box.fill('zzz-nothing-here');
  await expect(dialog.getByRole('status')).toContainText('Nothing matches');
});
