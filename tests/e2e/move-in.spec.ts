// Moving in (issue 17): a console that kept its tenant records locally, before the team registry,
// meets a registry that already holds the same tenants with other data (another operator created
// them meanwhile). Nothing is overwritten: the Tenants screen says so, and a dialog shows the local
// and the team's record side by side with their differences; Keep mine writes the local record over
// the team's (after a confirmation), Keep team's drops the local one.
import { test, expect } from './fixtures';
import type { TenantRecord } from '../../shared/tenants/tenant';
import { otherConsole, seriousAxeFindings } from './support/team';
import { addInstance, unique } from './support/world';

/** The record as a console kept it in its settings file before the registry (no team stamps). */
function localCopy(team: TenantRecord, change: Partial<TenantRecord>): Record<string, unknown> {
  return {
    instanceId: team.instanceId,
    tenant: team.tenant,
    apiDomain: team.apiDomain,
    apiUrl: team.apiUrl,
    guiDomain: team.guiDomain,
    guiUrl: team.guiUrl,
    email: team.email,
    createdAt: team.createdAt,
    tokenExpiresAt: team.tokenExpiresAt,
    state: team.state,
    warnings: [],
    ...change,
  };
}

test('local records the team registry holds with other data: both shown side by side, Keep mine and Keep team’s', async ({
  tenantConsole,
}) => {
  test.setTimeout(300_000);
  const sims = await tenantConsole.sims(0);
  const suffix = `${unique('movein')}.e2e.test`;
  const instance = { id: 'shared', name: 'Shared', sims, suffix, expectedAddress: '127.0.0.2' };
  const bob = await otherConsole({ name: 'Bob Beta' });
  try {
    await addInstance(bob.core, instance);
    const [mailTenant, stateTenant] = [unique('mail'), unique('state')];
    const teamRecords = new Map<string, TenantRecord>();
    for (const tenant of [mailTenant, stateTenant])
      teamRecords.set(
        tenant,
        await bob.core.tenants.create({
          instanceId: 'shared',
          domain: `${tenant}.${suffix}`,
          email: 'team@example.com',
          tokenLifetimeDays: 7,
        }),
      );

    // Ann's console kept both locally, each with something else than the team's record.
    const core = await tenantConsole.core();
    core.operator.set({ name: 'Ann Alpha', email: null });
    await addInstance(core, instance);
    core.settings.update((draft) => {
      draft.tenants.push(localCopy(teamRecords.get(mailTenant)!, { email: 'ann-local@example.com' }));
      draft.tenants.push(
        localCopy(teamRecords.get(stateTenant)!, { state: 'handed-over', handedOverAt: '2026-12-01T09:00:00.000Z' }),
      );
    });

    const page = await tenantConsole.launch({ hash: '#/tenants' });
    const notice = page.getByRole('region', { name: 'Local records to move in' });
    await expect(notice).toContainText('2 of your local records differ from the team’s records of the same tenants.');
    await expect(notice).toContainText('Nothing was overwritten: choose which to keep.');
    await notice.getByRole('button', { name: 'Compare and choose' }).click();

    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('Conflict 1 of 2.');
    const title = (await dialog.getByRole('heading').first().textContent()) ?? '';
    const first = title.includes(mailTenant) ? mailTenant : stateTenant;
    const second = first === mailTenant ? stateTenant : mailTenant;
    await expect(dialog.getByRole('heading', { name: `Two records of ${first} on Shared` })).toBeVisible();
    const table = dialog.getByTestId('move-in-compare');
    const rowOf = (field: string) => table.locator(`tr[data-field="${field}"]`);
    if (first === mailTenant) {
      await expect(dialog.getByRole('list', { name: 'Differences' })).toContainText(
        'email team@example.com -> ann-local@example.com',
      );
      await expect(rowOf('Contact e-mail')).toHaveAttribute('data-differs', 'true');
      await expect(rowOf('Contact e-mail').locator('td').nth(0)).toHaveText('ann-local@example.com');
      await expect(rowOf('Contact e-mail').locator('td').nth(1)).toHaveText('team@example.com');
    } else {
      await expect(dialog.getByRole('list', { name: 'Differences' })).toContainText('state registered -> handed-over');
      await expect(rowOf('State')).toHaveAttribute('data-differs', 'true');
      await expect(rowOf('State').locator('td').nth(0)).toHaveText('handed-over');
      await expect(rowOf('State').locator('td').nth(1)).toHaveText('registered');
    }
    await expect(rowOf('API domain')).toHaveAttribute('data-differs', 'false');
    await expect(rowOf('Created by').locator('td').nth(1)).toHaveText(/^Bob Beta on \S+$/);
    expect(await seriousAxeFindings(page, 'Move-in dialog')).toEqual([]);
    // The page behind the dialog is inert (the Theme select with it): the system scheme goes dark.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousAxeFindings(page, 'Move-in dialog (dark)')).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });

    // Keep mine asks first; confirmed, the local record becomes the team's.
    await dialog.getByRole('button', { name: 'Keep mine' }).click();
    const confirm = dialog.getByRole('group', { name: 'Confirm your choice' });
    await expect(confirm).toContainText(
      `It is written over the team’s record on Shared, and every operator sees yours`,
    );
    await confirm.getByRole('button', { name: 'Confirm: keep mine' }).click();

    // The next conflict follows; Keep team's drops the local record.
    await expect(dialog.getByRole('heading', { name: `Two records of ${second} on Shared` })).toBeVisible();
    await expect(dialog).toContainText('Conflict 2 of 2.');
    await dialog.getByRole('button', { name: 'Keep team’s' }).click();
    await dialog
      .getByRole('group', { name: 'Confirm your choice' })
      .getByRole('button', { name: 'Confirm: keep team’s' })
      .click();
    await expect(dialog).toHaveCount(0);
    await expect(notice).toHaveCount(0);

    // The team's registry (as Bob reads it) holds Ann's record of the first, its own of the second.
    const kept = await bob.core.tenants.get('shared', first);
    if (first === mailTenant) expect(kept.email).toBe('ann-local@example.com');
    else expect(kept.state).toBe('handed-over');
    expect(kept.updatedBy?.name).toBe('Ann Alpha');
    const theirs = await bob.core.tenants.get('shared', second);
    expect(theirs.email).toBe('team@example.com');
    expect(theirs.state).toBe('registered');
    expect((await tenantConsole.core()).settings.read().tenants).toEqual([]);
  } finally {
    await bob.dispose();
  }
});
