// The team registry goes away mid-session (issue 17): the instance's Elasticsearch, behind a loopback
// forwarder this test controls, stops answering. One refresh later every screen carries the
// read-only banner (which instance, since when, why, when its record was last in sync, that changes
// are refused), the last-known tenants stay listed, and a change is refused with the registry's
// reason. The forwarder comes back on the same port: the banner goes once a sync succeeds, without
// the operator doing anything. Then it hangs (answers nothing): the list stops waiting for it.
import { test, expect } from './fixtures';
import { seriousAxeFindings } from './support/team';
import { deleteTenantArtefacts } from '../simulator';
import { removeRegistryScope } from '../support/registry-seed';
import { addInstance, startTcpForwarder, unique } from './support/world';

test('an instance whose registry is unreachable: banner on every screen, changes refused, then it recovers', async ({
  tenantConsole,
}) => {
  test.setTimeout(300_000);
  const sims = await tenantConsole.sims(1);
  let forwarder = await startTcpForwarder(sims.esUrl);
  const port = Number(new URL(forwarder.url).port);
  const suffix = `${unique('down')}.e2e.test`;
  const core = await tenantConsole.core();
  await addInstance(core, {
    id: 'flaky',
    name: 'Flaky',
    sims,
    suffix,
    expectedAddress: '127.0.0.3',
    esNode: forwarder.url,
    esTimeoutMs: 4000,
  });
  const tenant = unique('kept');
  await core.tenants.create({
    instanceId: 'flaky',
    domain: `${tenant}.${suffix}`,
    email: 'ops@example.com',
    tokenLifetimeDays: 7,
  });
  try {
    const page = await tenantConsole.launch({ hash: '#/tenants' });
    const row = page.locator(`[role=row][data-tenant="${tenant}"]`);
    await expect(row).toBeVisible();
    // The whole list is in: its registry was synced once.
    await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 1 of 1 tenants');
    const banner = page.getByRole('region', { name: 'Team registry read-only' });
    await expect(banner).toHaveCount(0);

    // Its Elasticsearch stops answering; one refresh of the list tries to sync its registry.
    await forwarder.kill();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(banner).toBeVisible();
    const line = banner.locator('li[data-instance-id="flaky"]');
    await expect(line).toContainText(`Flaky (${suffix}): the team registry is unreachable since `);
    await expect(line).toContainText('Its tenants are shown as last in sync at ');
    await expect(line).toContainText(
      'Changes to its tenants are refused until it takes them again; nothing is queued.',
    );
    await expect(banner.getByRole('alert')).toContainText('changes are refused on one instance');
    // The last-known record stays listed.
    await expect(row).toBeVisible();
    expect(await seriousAxeFindings(page, 'Tenants with the read-only banner')).toEqual([]);
    await page.getByLabel('Theme').selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await seriousAxeFindings(page, 'Tenants with the read-only banner (dark)')).toEqual([]);
    await page.getByLabel('Theme').selectOption('light');

    // Every screen carries it.
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const screen of ['Fleet', 'Changes', 'Audit log', 'Instances'] as const) {
      await nav.getByRole('link', { name: screen, exact: true }).click();
      await expect(
        page.getByRole('heading', { level: 1, name: screen === 'Audit log' ? 'Audit log' : screen }),
      ).toBeVisible();
      await expect(banner).toBeVisible();
    }
    // The Instance screen says the same in its Team registry section.
    await tenantConsole.goto('#/instance/flaky');
    const status = page.getByTestId('registry-status').locator('tr[data-instance-id="flaky"]');
    await expect(status).toHaveAttribute('data-state', 'unreachable');
    await expect(status).toContainText(suffix);
    await expect(status).toContainText('Unreachable since ');
    expect(await seriousAxeFindings(page, 'Instance screen with its registry unreachable')).toEqual([]);

    // A change is refused with the registry's reason; nothing is queued.
    await nav.getByRole('link', { name: 'Tenants', exact: true }).click();
    await row.getByRole('button', { name: tenant, exact: true }).click();
    const details = page.getByRole('region', { name: `Details of ${tenant} on Flaky` });
    await details.getByRole('button', { name: 'Rotate token' }).click();
    const refusal = details.locator('[data-error-code="registry-read-only"]');
    await expect(refusal).toContainText('The team registry on flaky cannot be');
    await expect(refusal).toContainText('it is unreachable since');
    await expect(refusal).toContainText('nothing was changed');
    expect((await core.tenants.get('flaky', tenant)).rotatedAt).toBeUndefined();

    // The refusal is audited on this workstation only (the team trail could not take it): marked so.
    await nav.getByRole('link', { name: 'Audit log', exact: true }).click();
    const audit = page.getByRole('table', { name: 'Audit log entries' });
    const headers = await audit.locator('thead th').allTextContents();
    const refused = audit.locator('tbody tr', { hasText: 'rotate' }).filter({ hasText: 'refused' }).first();
    await expect(refused.locator('td').nth(headers.indexOf('Team trail'))).toHaveText(
      'not in the team trail (this workstation only)',
    );
    await expect(refused.locator('td').nth(headers.indexOf('Tenant'))).toHaveText(tenant);
    await nav.getByRole('link', { name: 'Tenants', exact: true }).click();

    // Elasticsearch answers again at the same address: the frame's poll syncs, the banner goes.
    forwarder = await startTcpForwarder(sims.esUrl, port);
    await expect(banner).toHaveCount(0, { timeout: 45_000 });
    await tenantConsole.goto('#/instance/flaky');
    await expect(page.getByTestId('registry-status').locator('tr[data-instance-id="flaky"]')).toHaveAttribute(
      'data-state',
      'ok',
    );

    // It stops answering without refusing (a black-holed address, a VPN gone): the first list after
    // waits out the instance's 4 s timeout and finds its registry unreachable; a list after that answers
    // from the cache at once instead of waiting out the timeout again.
    forwarder.hang();
    await nav.getByRole('link', { name: 'Tenants', exact: true }).click();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(banner).toBeVisible({ timeout: 30_000 });
    const loading = page.locator('.spinner-wrap', { hasText: 'Loading tenants' });
    await expect(loading).toHaveCount(0, { timeout: 30_000 });
    // Refresh again: the list is back within 2.5 s of the click (it answers from the cache at once, so
    // its spinner may show for a moment or not at all). Before, it waited out the 4 s timeout again.
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await page.waitForTimeout(500);
    await expect(loading).toHaveCount(0, { timeout: 2_000 });
    await expect(row).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 1 of 1 tenants');
  } finally {
    await forwarder.kill().catch(() => undefined);
    // The fixture cleans the clusters it knows by URL; this instance's node was the forwarder.
    await deleteTenantArtefacts(sims.esUrl, tenant).catch(() => undefined);
    await removeRegistryScope(sims.esUrl, suffix).catch(() => undefined);
  }
});
