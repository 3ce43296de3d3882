// The window words an error's remedy with its own controls, never a tenantctl flag: the refused
// delete of an installed tenant names the Force checkbox (and ticking it deletes), and a record whose
// keychain token is gone says so and offers Run repair (which issues a fresh token, so Reveal is offered again).
import { test, expect } from './fixtures';
import { addInstance, installTenant, unique } from './support/world';

test('a refusal names the control to use, and the control does it', async ({ tenantConsole }) => {
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  const suffix = 'remedy.example.test';
  await addInstance(core, { id: 'eu-test', name: 'EU test', sims, suffix, expectedAddress: '127.0.0.2' });
  const [live, lost] = [unique('live'), unique('lost')];
  for (const tenant of [live, lost])
    await core.tenants.create({
      instanceId: 'eu-test',
      domain: `${tenant}.${suffix}`,
      email: `ops@${tenant}.example.com`,
      tokenLifetimeDays: 30,
    });
  const { token } = await core.tenants.revealToken('eu-test', live);
  const reply = await installTenant({ tracardiUrl: sims.tracardi.url, host: `${live}.${suffix}`, token });
  expect(reply.status, reply.body).toBe(200);
  await core.secrets.delete(`token/eu-test/${lost}`);

  const page = await tenantConsole.launch({ resolve: [`*.${suffix}=127.0.0.2`] });
  // Verification finds the install: the record becomes 'installed'.
  await tenantConsole.goto('#/verify');
  await page.getByRole('button', { name: 'Start verification' }).click();
  await expect(page.getByText(/2 of 2 checked — finished/)).toBeVisible();
  expect((await (await tenantConsole.core()).tenants.get('eu-test', live)).state).toBe('installed');
  await tenantConsole.goto('#/tenants');

  // Delete an installed tenant: refused, naming the Force checkbox of this very dialog.
  const liveRow = page.locator(`[role="row"][data-tenant="${live}"]`);
  await liveRow.getByRole('button', { name: live }).click();
  await page
    .getByRole('region', { name: `Details of ${live} on EU test` })
    .getByRole('button', { name: 'Delete tenant' })
    .click();
  const dialog = page.getByRole('dialog', { name: `Delete tenant ${live}?` });
  await dialog.getByRole('button', { name: 'Delete tenant' }).click();
  const refusal = dialog.getByRole('alert');
  await expect(refusal).toContainText('is installed');
  await expect(refusal).toContainText('Tick Force in the Delete dialog to delete it anyway.');
  await expect(refusal).not.toContainText('--force');
  await expect(refusal).not.toContainText('tenantctl');
  await dialog.getByRole('checkbox', { name: /Force/ }).check();
  await dialog.getByRole('button', { name: 'Delete tenant' }).click();
  await expect(dialog).toBeHidden();
  await expect(liveRow).toHaveCount(0);
  await expect
    .poll(async () => (await (await tenantConsole.core()).tenants.list()).map((r) => r.tenant))
    .toEqual([lost]);

  // A token the keychain lost: the token panel says so (no Reveal offered only to be refused) and
  // offers Run repair, in the window's words.
  await page.locator(`[role="row"][data-tenant="${lost}"]`).getByRole('button', { name: lost }).click();
  const details = page.getByRole('region', { name: `Details of ${lost} on EU test` });
  await expect(details.getByTestId('token-unavailable')).toHaveText(
    `Tenant ${lost} has no installation token in this keychain: a repair issues a fresh one.`,
  );
  await expect(details.getByRole('button', { name: 'Reveal token' })).toHaveCount(0);
  await expect(details).not.toContainText('tenantctl');
  await details.getByRole('button', { name: 'Run repair' }).click();
  await expect(details.getByRole('status').filter({ hasText: 'Repaired' })).toHaveText(
    'Repaired: records, keychain and TMS agree. Try again.',
  );
  await details.getByRole('button', { name: 'Reveal token' }).click();
  await expect(details.getByTestId('revealed-token')).toHaveText(/\S{20,}/);
});
