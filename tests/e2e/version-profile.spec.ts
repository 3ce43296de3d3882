// The UI where an operator starts: an instance registered as 0.8.x that reports 0.9.0-rc5 (as the real
// 0.9.0-dev does) says so on its Fleet card and its screen, the New tenant form refuses it, and the
// confirmed Use 0.9.x fixes the profile. With Tracardi 0.9's MySQL down, Verify reads "Tracardi's
// database is not reachable" with the driver's message in the evidence.
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';
import { addInstance, unique } from './support/world';

test('a version profile that does not match the instance: shown, create refused, fixed in one confirmed step', async ({
  tenantConsole,
}) => {
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  await addInstance(core, {
    id: 'inst-v',
    name: 'Instance V',
    sims,
    suffix: 'v.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  await core.instances.update('inst-v', { tracardiVersion: '0.8.x' });
  const said = 'It reports Tracardi 0.9.0-rc5 (db_version 09x), the 0.9.x profile, but is registered as 0.8.x';

  const page = await tenantConsole.launch({ hash: '#/instances' });
  // The instance form's Test connection: the Tracardi check fails naming both, and offers the version.
  await page.getByRole('button', { name: 'Edit Instance V' }).click();
  const edit = page.getByRole('form', { name: 'Edit instance Instance V' });
  await edit.getByRole('button', { name: 'Test connection' }).click();
  const tracardiCheck = edit.locator('li[data-target="tracardi"]');
  await expect(tracardiCheck).toHaveClass(/check-failed/);
  await expect(tracardiCheck).toContainText(
    'Tracardi 0.9.0-rc5, multi-tenant, db 09x: the 0.9.x profile, but registered as 0.8.x',
  );
  await tracardiCheck.getByRole('button', { name: 'Use 0.9.x' }).click();
  await expect(edit.getByLabel('Tracardi version')).toHaveValue('0.9.x');
  await edit.getByRole('button', { name: 'Cancel' }).click();

  await page.goto(page.url().replace(/#.*$/, '#/fleet'));
  const card = page.getByRole('article', { name: 'Instance V' });
  await expect(card.getByRole('alert').filter({ hasText: 'Tracardi version:' })).toContainText(said);
  // Its dialog opens over the Fleet; a click inside it is not a click on the card (which opens the instance).
  await card.getByRole('button', { name: 'Use 0.9.x' }).click();
  const fromCard = page.getByRole('dialog', { name: 'Use Tracardi 0.9.x for Instance V?' });
  await fromCard.getByText('the version it reports').click();
  await expect(fromCard).toBeVisible();
  expect(page.url()).toMatch(/#\/fleet$/);
  // The warning and its dialog pass axe as every screen does (accessibility.spec.ts): nothing serious.
  await page.waitForTimeout(200);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await fromCard.getByRole('button', { name: 'Cancel' }).click();
  await expect(fromCard).toBeHidden();

  // New tenant: the preview names the refusal and Create stays disabled.
  await page.goto(page.url().replace(/#.*$/, '#/new-tenant/inst-v'));
  const form = page.getByRole('form', { name: 'New tenant' });
  const label = unique('vers');
  await form.getByLabel('Tenant API domain').fill(label);
  await expect(form.locator('.check', { hasText: 'Tracardi version:' })).toContainText(
    'Instance inst-v reports Tracardi 0.9.0-rc5 (db_version 09x), the 0.9.x profile, but is registered as 0.8.x: no tenant is created on it until its version profile is 0.9.x.',
  );
  await form.getByLabel('Contact e-mail').fill(`admin@${label}.example.com`);
  await expect(form.getByRole('button', { name: 'Create tenant' })).toBeDisabled();
  expect(sims.tms.tenants().has(label)).toBe(false);

  // The Instance screen says the same and fixes it, after a confirmation.
  await page.goto(page.url().replace(/#.*$/, '#/instance/inst-v'));
  const alert = page.getByRole('alert').filter({ hasText: 'Tracardi version:' });
  await expect(alert).toContainText(said);
  await tenantConsole.screenshot('instance-version-mismatch');
  await alert.getByRole('button', { name: 'Use 0.9.x' }).click();
  const dialog = page.getByRole('dialog', { name: 'Use Tracardi 0.9.x for Instance V?' });
  await expect(dialog).toContainText('becomes 0.9.x, the version it reports');
  await dialog.getByRole('button', { name: 'Use 0.9.x' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('alert').filter({ hasText: 'Tracardi version:' })).toHaveCount(0);
  expect((await (await tenantConsole.core()).instances.get('inst-v')).instance.tracardiVersion).toBe('0.9.x');
});

test("Tracardi 0.9's database down: Verify says its database is not reachable, the driver's message in the evidence", async ({
  tenantConsole,
}) => {
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  await addInstance(core, {
    id: 'inst-d',
    name: 'Instance D',
    sims,
    suffix: 'd.e2e.test',
    expectedAddress: '127.0.0.2',
  });
  const tenant = unique('dbdown');
  await core.tenants.create({
    instanceId: 'inst-d',
    domain: `${tenant}.d.e2e.test`,
    email: 'ops@example.com',
    tokenLifetimeDays: 7,
  });
  sims.tracardi.setDatabase('down');

  const page = await tenantConsole.launch({ resolve: ['*.d.e2e.test=127.0.0.2'], hash: '#/verify' });
  await page.getByRole('button', { name: 'Start verification' }).click();
  await expect(page.getByText(/1 of 1 checked — finished/)).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(`^${tenant}\\b`) });
  await expect(row.getByRole('cell').nth(1)).toHaveText('unreachable');
  await expect(row).toContainText("Tracardi's database is not reachable (GET /install answered HTTP 500");
  await row.getByRole('button', { name: `Evidence for ${tenant} on Instance D` }).click();
  await expect(page.getByRole('main')).toContainText(
    `(pymysql.err.OperationalError) (2003, "Can't connect to MySQL server on '127.0.0.1'")`,
  );
  await tenantConsole.screenshot('verify-database-down');
});
