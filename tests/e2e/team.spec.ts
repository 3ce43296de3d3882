// Two consoles, one team record (issue 17): the fixture's console (operator Ann Alpha) in the window,
// and a second console in the test process (its own data folder and keychain service, operator Bob
// Beta) on the same instance, so the same team registry in the instance's Elasticsearch. What Bob
// does shows in Ann's window after one refresh, "by Bob Beta"; a token Bob holds is not offered to
// Ann until she rotates it; an action on a record Bob changed since is refused saying what he did;
// Bob's changes are in Ann's Changes feed as another operator's; the Audit log names operator and
// workstation and verifies the trail.
import { test, expect } from './fixtures';
import { otherConsole, seriousAxeFindings } from './support/team';
import { addInstance, unique } from './support/world';

test('another operator’s tenant, token holder, rotate to hold it, a stale action refused, Changes and Audit', async ({
  tenantConsole,
}) => {
  test.setTimeout(300_000);
  const sims = await tenantConsole.sims(0);
  // A scope of its own: specs on the shared clusters must not meet each other's registry records.
  const suffix = `${unique('team')}.e2e.test`;
  const instance = { id: 'shared', name: 'Shared', sims, suffix, expectedAddress: '127.0.0.2' };
  const core = await tenantConsole.core();
  core.operator.set({ name: 'Ann Alpha', email: 'ann@example.com' });
  await addInstance(core, instance);
  const bob = await otherConsole({ name: 'Bob Beta', email: 'bob@example.com' });
  try {
    await addInstance(bob.core, instance);
    // A tenant of Bob's before Ann's window opens: her first read of the registry is her baseline.
    // (An empty scope at the first read leaves no baseline: the first tenant created after it would
    // not reach her Changes feed; see the report of this branch.)
    const earlier = unique('early');
    await bob.core.tenants.create({
      instanceId: 'shared',
      domain: `${earlier}.${suffix}`,
      email: 'ops@example.com',
      tokenLifetimeDays: 7,
    });
    const page = await tenantConsole.launch({ hash: '#/tenants' });
    await expect(page.getByTestId('status-operator')).toContainText('Ann Alpha');
    await expect(page.locator(`[role=row][data-tenant="${earlier}"]`)).toBeVisible();

    // Bob creates a tenant in his console; Ann's window shows it after one refresh.
    const tenant = unique('bobs');
    await bob.core.tenants.create({
      instanceId: 'shared',
      domain: `${tenant}.${suffix}`,
      email: 'ops@example.com',
      tokenLifetimeDays: 7,
    });
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const row = page.locator(`[role=row][data-tenant="${tenant}"]`);
    await expect(row).toBeVisible();
    await row.getByRole('button', { name: tenant, exact: true }).click();
    const details = page.getByRole('region', { name: `Details of ${tenant} on Shared` });
    const fact = (term: string) => details.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');
    await expect(fact('Created by')).toHaveText(/^Bob Beta \(bob@example\.com\) on \S+$/);
    await expect(fact('Last change')).toHaveText(
      /^created it, by Bob Beta \(bob@example\.com\) on \S+, [A-Z][a-z]{2} \d{1,2}, \d{4}, /,
    );
    await expect(fact('Token holder')).toHaveText(
      /^Bob Beta \(bob@example\.com\) on \S+, since [A-Z][a-z]{2} \d{1,2}, \d{4}, /,
    );

    // Bob's keychain holds the token: Ann is told so and offered none of its hand-off actions.
    const panel = page.getByRole('region', { name: `Installation token for ${tenant}` });
    await expect(panel.getByTestId('token-unavailable')).toContainText('Token held by Bob Beta (bob@example.com) on');
    await expect(panel.getByTestId('token-unavailable')).toContainText('Rotate token issues a new token that you hold');
    for (const name of ['Reveal token', 'Copy token', 'Export hand-off sheet', 'Mark handed over'])
      await expect(panel.getByRole('button', { name })).toHaveCount(0);
    expect(await seriousAxeFindings(page, 'Tenants, details of a token another operator holds')).toEqual([]);
    await page.getByLabel('Theme').selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await seriousAxeFindings(page, 'Tenants, details of a token another operator holds (dark)')).toEqual([]);
    await page.getByLabel('Theme').selectOption('light');

    // Rotate makes Ann's console the holder: the new token is hers, and it is the one the TMS holds.
    await details.getByRole('button', { name: 'Rotate token' }).click();
    await expect(fact('Token holder')).toHaveText(
      /^You hold the token \(in this console’s keychain\) since [A-Z][a-z]{2} \d{1,2}, \d{4}, /,
    );
    await expect(fact('Last change')).toHaveText(/^rotated the token, by Ann Alpha \(ann@example\.com\) on \S+, /);
    await panel.getByRole('button', { name: 'Reveal token' }).click();
    const revealed = (await panel.getByTestId('revealed-token').textContent())?.trim();
    expect(revealed).toBe(sims.tms.tenants().get(tenant)?.install_token);
    await expect(bob.core.tenants.revealToken('shared', tenant)).rejects.toThrow(/held by Ann Alpha/);

    // Bob revokes it meanwhile; Ann, still looking at the record before that, marks it handed over:
    // refused, told what Bob did, and the record is read again (now revoked).
    await bob.core.tenants.revoke('shared', tenant);
    await panel.getByRole('button', { name: 'Mark handed over' }).click();
    const refusal = panel.locator('[data-error-code="conflict"]');
    await expect(refusal).toContainText(`${tenant} changed since you opened it: Bob Beta (bob@example.com) on`);
    await expect(refusal).toContainText('revoked the token');
    await expect(fact('Last change')).toHaveText(/^revoked the token, by Bob Beta/);
    await expect(fact('Token holder')).toHaveText('Nobody: the token is revoked');
    await expect(row).toContainText('revoked');
    expect((await bob.core.tenants.get('shared', tenant)).state).toBe('revoked');

    // The Changes feed: Bob's changes as another operator's, information, naming him and what he did.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Changes' }).click();
    const team = page.getByTestId('changes-feed').locator('tbody tr[data-kind="team"]');
    await expect(team.filter({ hasText: 'created it' })).toHaveCount(1);
    await expect(team.filter({ hasText: 'revoked the token' })).toHaveCount(1);
    const created = team.filter({ hasText: 'created it' });
    await expect(created).toContainText(`${tenant} on Shared`);
    await expect(created).toContainText('Another operator');
    await expect(created).toContainText('Bob Beta (bob@example.com) on');
    await expect(created.locator('.outcome')).toHaveClass(/tone-info/);
    expect(await seriousAxeFindings(page, 'Changes with another operator’s changes')).toEqual([]);

    // The Audit log: operator and workstation of each entry, all in the team trail; the trail verifies.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    const audit = page.getByRole('table', { name: 'Audit log entries' });
    const bobsCreate = audit.locator('tbody tr', { hasText: 'Bob Beta' }).filter({ hasText: 'create' }).first();
    await expect(bobsCreate).toBeVisible();
    const headers = await audit.locator('thead th').allTextContents();
    const cell = (name: string) => bobsCreate.locator('td').nth(headers.indexOf(name));
    await expect(cell('Operator')).toHaveText('Bob Beta');
    await expect(cell('Workstation')).toHaveText(/^\S+$/);
    await expect(cell('Team trail')).toHaveText(/^#\d+$/);
    const annsRotate = audit.locator('tbody tr', { hasText: 'Ann Alpha' }).filter({ hasText: 'rotate' }).first();
    await expect(annsRotate.locator('td').nth(headers.indexOf('Operator'))).toHaveText('Ann Alpha');
    await page.getByRole('button', { name: 'Verify audit trail' }).click();
    const verdicts = page.getByRole('list', { name: 'Audit trail verdicts' });
    await expect(verdicts).toContainText(/Shared: intact, \d+ entries/);
    expect(await seriousAxeFindings(page, 'Audit log with its verdicts')).toEqual([]);
  } finally {
    await bob.dispose();
  }
});
