// The Settings screen (`#/settings`): the operator's name and e-mail (stored, shown in the status
// bar, a bad e-mail refused by its field), the colour theme, the watch's schedule and which changes
// become desktop notifications (all in config.json, next to each other), the data folder, and the
// keychain: available, its service name, which secrets each instance keeps there, never a value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { pageHash } from './support/page-state';
import { addInstance } from './support/world';

test('Settings: operator, theme, watch schedule, notifications, data folder, keychain and secrets', async ({
  tenantConsole,
}) => {
  test.setTimeout(180_000);
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  await addInstance(core, {
    id: 'set-a',
    name: 'Settings A',
    sims,
    suffix: 'set.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  const config = () => JSON.parse(readFileSync(join(tenantConsole.dataDir, 'config.json'), 'utf8'));

  const page = await tenantConsole.launch({ hash: '#/settings' });
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' })).toHaveAttribute(
    'aria-current',
    'page',
  );

  // Operator: a bad e-mail is refused at its field and nothing is saved; then a good one is.
  const form = page.getByRole('form', { name: 'Operator' });
  await form.getByLabel('Name').fill('Ann Smith');
  await form.getByLabel('E-mail').fill('not an address');
  await form.getByRole('button', { name: 'Save operator' }).click();
  await expect(form.getByRole('alert')).toContainText('E-mail: "not an address" is not a valid e-mail address');
  await expect(form.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
  expect(config().operator ?? {}).toEqual({});
  await form.getByLabel('E-mail').fill('ann@example.com');
  await form.getByRole('button', { name: 'Save operator' }).click();
  await expect(page.getByTestId('status-operator')).toContainText('Ann Smith');
  await expect(page.getByTestId('settings-operator-now')).toContainText('Ann Smith (ann@example.com)');
  expect(config().operator).toEqual({ name: 'Ann Smith', email: 'ann@example.com' });
  expect((await tenantConsole.core()).operator.stamp()).toMatchObject({ name: 'Ann Smith', email: 'ann@example.com' });
  await form.getByRole('button', { name: 'Reset to default' }).click();
  await expect(page.getByTestId('settings-operator-now')).toContainText('the default name');
  expect(config().operator).toEqual({});

  // Theme, watch schedule and notifications: each stored at once.
  await page.getByLabel('Colour theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => config().preferences.theme).toBe('dark');
  await page
    .getByRole('region', { name: 'Watch schedule', exact: true })
    .getByLabel('Re-verify the fleet')
    .selectOption('30');
  await expect.poll(() => config().watch.intervalMinutes).toBe(30);
  // The fixture paused the schedule: resume it, then pause it again.
  const watch = page.getByRole('region', { name: 'Watch schedule', exact: true });
  await expect(page.getByTestId('settings-watch-status')).toContainText('Paused');
  await watch.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('settings-watch-status')).toContainText('Next round');
  await expect.poll(() => config().watch.paused).toBe(false);
  await watch.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('settings-watch-status')).toContainText('Paused');
  await page.getByLabel('Desktop notifications').selectOption('problems');
  await expect.poll(() => config().watch).toEqual({ intervalMinutes: 30, paused: true, notifications: 'problems' });
  // The Changes screen and every shell read the same choice.
  expect((await tenantConsole.core()).watch.status().notifications).toBe('problems');

  // Where the data is.
  const data = page.getByRole('region', { name: 'Data folder', exact: true });
  await expect(data).toContainText(tenantConsole.dataDir);
  await expect(data).toContainText(join(tenantConsole.dataDir, 'config.json'));
  await expect(data).toContainText('Yes');

  // The keychain: available, under this run's service name; what each instance keeps, never a value.
  const keychain = page.getByRole('region', { name: 'Keychain', exact: true });
  await expect(keychain).toContainText('available');
  await expect(keychain).toContainText(tenantConsole.keychainService);
  const row = keychain.getByTestId('keychain-secrets').getByRole('row', { name: /Settings A/ });
  await expect(row.getByRole('cell')).toHaveText(['not needed', 'not needed', 'stored']);
  expect(await page.content()).not.toContain(sims.tmsApiKey);

  // Every section passes axe in this (dark) theme: accessibility.spec.ts does both themes and widths.
  await tenantConsole.screenshot('settings');
});

test('a deep link to Settings opens it after a reload; the g s shortcut goes there', async ({ tenantConsole }) => {
  const page = await tenantConsole.launch({ hash: '#/tenants' });
  await page.keyboard.press('g');
  await page.keyboard.press('s');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  expect(await pageHash(page)).toBe('#/settings');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
});
