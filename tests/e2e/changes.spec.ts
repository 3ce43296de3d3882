// The watch in the browser shell: "Run now" sets the baseline, an installed tenant loses an index,
// "Run now" again and the change shows in the Changes feed (time, subject, old -> new) and as an
// in-app notification; pausing is stored in the settings file. The screen with its feed and the
// toast pass axe, light and dark.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';
import { REPO_ROOT } from './support/build';
import { addInstance, installTenant, unique } from './support/world';

test('a tenant that drifts between two rounds shows in the Changes feed and as a notification', async ({
  tenantConsole,
}) => {
  test.setTimeout(240_000);
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  const suffix = 'watch.e2e.test';
  await addInstance(core, { id: 'inst-watch', name: 'Watched', sims, suffix, expectedAddress: '127.0.0.2' });
  const tenant = unique('watch');
  await core.tenants.create({
    instanceId: 'inst-watch',
    domain: `${tenant}.${suffix}`,
    email: `admin@${tenant}.example.com`,
    tokenLifetimeDays: 7,
  });
  const { token } = await core.tenants.revealToken('inst-watch', tenant);
  const reply = await installTenant({ tracardiUrl: sims.tracardi.url, host: `${tenant}.${suffix}`, token });
  expect(reply.status, reply.body).toBe(200);

  const page = await tenantConsole.launch({
    resolve: [`*.${suffix}=127.0.0.2`],
    hash: '#/changes',
    watch: 'scheduled',
  });
  const controls = page.getByRole('group', { name: 'Watch schedule' });
  await expect(page.getByRole('heading', { level: 1, name: 'Changes' })).toBeVisible();
  await expect(controls.getByLabel('Re-verify the fleet')).toHaveValue('15');
  await expect(page.getByTestId('watch-status')).toContainText('Next round');

  // The first round: the baseline. The tenant is installed: nothing about it.
  await controls.getByRole('button', { name: 'Run now' }).click();
  await expect(page.getByTestId('watch-status')).toContainText('Last round');
  await expect(page.getByTestId('watch-status')).not.toContainText('A round is running');
  await expect(page.getByText(tenant)).toHaveCount(0);

  // Lose one of the tenant's indices.
  const listed = (await (
    await fetch(`${sims.esUrl}/_cat/indices/*.${tenant}.tracardi-session-*?h=index&format=json`)
  ).json()) as { index: string }[];
  expect(listed.length).toBeGreaterThan(0);
  expect((await fetch(`${sims.esUrl}/${listed[0]!.index}`, { method: 'DELETE' })).status).toBe(200);

  // At once: a pooled socket the simulator closed meanwhile is retried by the client (no wait needed).
  await controls.getByRole('button', { name: 'Run now' }).click();

  const toast = page
    .getByRole('region', { name: 'Watch notifications' })
    .getByTestId('watch-toast')
    .filter({ hasText: tenant });
  await expect(toast).toContainText(`${tenant} on Watched: installed -> drift`);
  await expect(toast).toContainText('Tracardi: problem');
  const row = page.getByTestId('changes-feed').getByRole('row').filter({ hasText: tenant });
  await expect(row.getByRole('cell').nth(1)).toHaveText(`${tenant} on Watched`);
  await expect(row.getByRole('cell').nth(2)).toHaveText('installed -> drift');
  await expect(row.getByRole('cell').nth(3)).toContainText('Problem');
  await expect(row.getByRole('cell').nth(0).locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  await expect(page.getByTestId('watch-status')).toContainText(/[1-9]\d* problems? now/);
  const shot = await tenantConsole.screenshot('changes-drift');
  // The README shows this one (E2E_UPDATE_DOCS=1, as the other pictures).
  if (process.env.E2E_UPDATE_DOCS === '1' && tenantConsole.kind === 'browser-shell')
    copyFileSync(shot, join(REPO_ROOT, 'docs', 'screenshots', 'changes.png'));

  // The screen with its feed and the notification: no serious or critical axe violation, either theme.
  for (const theme of ['light', 'dark'] as const) {
    await page.getByLabel('Theme').selectOption(theme);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await page.waitForTimeout(200);
    const result = await new AxeBuilder({ page }).analyze();
    const serious = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id} (${theme}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
    expect(result.passes.length).toBeGreaterThan(0);
  }

  // Dismissed, the notification goes; the feed keeps the change.
  await toast.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(toast).toHaveCount(0);
  await expect(row).toBeVisible();

  // Pause: stored in config.json for every shell; no next round is announced.
  await controls.getByRole('button', { name: 'Pause' }).click();
  await expect(controls.getByRole('button', { name: 'Resume' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('watch-status')).toContainText('Paused.');
  expect((await tenantConsole.core()).settings.read().watch).toEqual({
    intervalMinutes: 15,
    paused: true,
    notifications: 'all',
  });
  await controls.getByLabel('Re-verify the fleet').selectOption('60');
  await expect.poll(async () => (await tenantConsole.core()).settings.read().watch.intervalMinutes).toBe(60);
});
