// Every screen, every dialog, in the light AND the dark theme, through axe-core: no serious or
// critical violation (colour contrast, names, labels, roles). A failure prints each violation's rule
// id, the screen and theme it was found on, and the elements it targets.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { addInstance, installTenant, unique } from './support/world';

interface Found {
  theme: string;
  screen: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
  /** axe's own account of the first element (e.g. the measured contrast ratio). */
  summary: string;
}

/** axe on the page as it is now; the serious and critical findings, tagged with where they were found. */
async function check(page: Page, theme: string, screen: string, found: Found[]): Promise<void> {
  // Let fades and late re-renders settle: axe reads computed colours.
  await page.waitForTimeout(200);
  const result = await new AxeBuilder({ page }).analyze();
  for (const v of result.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    found.push({
      theme,
      screen,
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 8),
      summary: (v.nodes[0]?.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
    });
  }
  // A screen counts only once it was really checked.
  expect(result.passes.length, `${screen} (${theme}): axe passed no rule at all`).toBeGreaterThan(0);
}

function describe(found: Found[]): string {
  return found
    .map(
      (f) =>
        `${f.impact} ${f.id} on ${f.screen} (${f.theme}): ${f.help}\n    ${f.targets.join('\n    ')}\n    ${f.summary}`,
    )
    .join('\n');
}

test('every screen and dialog has no serious or critical axe violation, light and dark', async ({ tenantConsole }) => {
  test.setTimeout(420_000);
  const sims = await tenantConsole.sims(0);
  const stagingSims = await tenantConsole.sims(1);
  const core = await tenantConsole.core();
  const suffix = 'a11y.example.test';
  await addInstance(core, {
    id: 'eu-prod',
    name: 'EU production',
    environment: 'production',
    colour: '#c62828',
    sims,
    suffix,
    expectedAddress: '127.0.0.2',
  });
  // A second instance in the colour the Instances form proposes: its badge is drawn in that colour.
  await addInstance(core, {
    id: 'us-staging',
    name: 'US staging',
    environment: 'staging',
    colour: '#2f6fde',
    sims: stagingSims,
    suffix: `us.${suffix}`,
    expectedAddress: '127.0.0.3',
  });
  const [installed, handed, fresh] = [unique('inst'), unique('hand'), unique('new')];
  for (const tenant of [installed, handed, fresh]) {
    await core.tenants.create({
      instanceId: 'eu-prod',
      domain: `${tenant}.${suffix}`,
      email: `admin@${tenant}.example.com`,
      tokenLifetimeDays: 30,
    });
  }
  const { token } = await core.tenants.revealToken('eu-prod', installed);
  const reply = await installTenant({ tracardiUrl: sims.tracardi.url, host: `${installed}.${suffix}`, token });
  expect(reply.status, reply.body).toBe(200);
  await core.tenants.markHandedOver('eu-prod', handed);
  const staged = unique('stage');
  await core.tenants.create({
    instanceId: 'us-staging',
    domain: `${staged}.us.${suffix}`,
    email: `admin@${staged}.example.com`,
    tokenLifetimeDays: 30,
  });

  const page = await tenantConsole.launch({ resolve: [`*.us.${suffix}=127.0.0.3`, `*.${suffix}=127.0.0.2`] });
  const nav = page.getByRole('navigation', { name: 'Main' });
  const main = page.getByRole('main');
  const found: Found[] = [];

  // A verification first (Verify with results), so Tenants carries statuses and evidence.
  await nav.getByRole('link', { name: 'Verify' }).click();
  await page.getByRole('button', { name: 'Start verification' }).click();
  await expect(page.getByText(/4 of 4 checked — finished/)).toBeVisible();

  for (const theme of ['light', 'dark'] as const) {
    await page.getByLabel('Theme').selectOption(theme);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);

    await nav.getByRole('link', { name: 'Fleet' }).click();
    await expect(page.getByRole('article', { name: 'EU production' }).getByText('Cluster health')).toBeVisible();
    await check(page, theme, 'Fleet', found);

    await page.getByRole('article', { name: 'EU production' }).getByRole('link', { name: 'EU production' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'EU production' })).toBeVisible();
    await expect(main).toContainText(installed);
    await check(page, theme, 'Instance', found);

    await nav.getByRole('link', { name: 'Tenants' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 4 of 4 tenants');
    await check(page, theme, 'Tenants', found);

    const row = page.locator(`[role="row"][data-tenant="${handed}"]`);
    await row.getByRole('button', { name: handed }).click();
    const details = page.getByRole('region', { name: `Details of ${handed} on EU production` });
    await expect(details).toContainText('Status evidence');
    await check(page, theme, 'Tenants, expanded row', found);

    await details.getByRole('button', { name: 'Reveal token' }).click();
    await expect(details.getByTestId('revealed-token')).toBeVisible();
    await check(page, theme, 'Tenants, token revealed', found);
    await details.getByRole('button', { name: 'Hide token' }).click();

    await details.getByRole('button', { name: 'Rotate token' }).click();
    await expect(page.getByRole('dialog', { name: `Rotate the token of ${handed}?` })).toBeVisible();
    await check(page, theme, 'Rotate confirmation', found);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    // Collapse, then the installed tenant's delete: refused without Force, the refusal in the dialog.
    await row.getByRole('button', { name: handed }).click();
    const installedRow = page.locator(`[role="row"][data-tenant="${installed}"]`);
    await installedRow.getByRole('button', { name: installed }).click();
    const installedDetails = page.getByRole('region', { name: `Details of ${installed} on EU production` });
    await installedDetails.getByRole('button', { name: 'Delete tenant' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete tenant ${installed}?` });
    await expect(dialog).toBeVisible();
    await check(page, theme, 'Delete confirmation', found);
    await dialog.getByLabel(`Type ${installed} to confirm`).fill(installed);
    await dialog.getByRole('button', { name: 'Delete tenant' }).click();
    await expect(dialog.getByRole('alert')).toContainText('is installed');
    // The refusal names this dialog's Force checkbox, not tenantctl's --force.
    await expect(dialog.getByRole('alert')).toContainText('Tick Force in the Delete dialog');
    await check(page, theme, 'Delete confirmation, refused', found);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await installedRow.getByRole('button', { name: installed }).click();

    await nav.getByRole('link', { name: 'New tenant' }).click();
    const form = page.getByRole('form', { name: 'New tenant' });
    await form.getByLabel('Instance').selectOption('eu-prod');
    await form.getByLabel('Tenant API domain').fill('Company-X');
    await expect(form.getByLabel('Derived tenant name')).toHaveText('companyx');
    await expect(form.locator('.check', { hasText: 'Capacity:' })).toBeVisible();
    await check(page, theme, 'New tenant', found);
    // Submitting without an e-mail shows the field errors.
    await form.getByRole('button', { name: /Create tenant/ }).click();
    await expect(form.getByText(/e-mail/i).first()).toBeVisible();
    await check(page, theme, 'New tenant, field errors', found);

    await nav.getByRole('link', { name: 'Verify' }).click();
    await expect(page.getByRole('list', { name: 'Results per status' })).toBeVisible();
    await check(page, theme, 'Verify with results', found);

    // Changes after a watch round ("Run now"); the feed with entries and a toast: changes.spec.ts.
    await nav.getByRole('link', { name: 'Changes' }).click();
    await page.getByRole('group', { name: 'Watch schedule' }).getByRole('button', { name: 'Run now' }).click();
    await expect(page.getByTestId('watch-status')).toContainText('Last round');
    await expect(page.getByTestId('watch-status')).not.toContainText('A round is running');
    await check(page, theme, 'Changes', found);

    await nav.getByRole('link', { name: 'Instances' }).click();
    await expect(page.getByRole('row', { name: /EU production/ })).toBeVisible();
    await check(page, theme, 'Instances', found);
    await page.getByRole('button', { name: 'Add instance' }).click();
    await expect(page.getByRole('form').first()).toBeVisible();
    await check(page, theme, 'Instances, add form', found);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Remove EU production' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await check(page, theme, 'Remove instance confirmation', found);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    await nav.getByRole('link', { name: 'Audit log' }).click();
    await expect(main).toContainText('verify');
    await check(page, theme, 'Audit log', found);

    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await check(page, theme, 'Keyboard shortcuts', found);
    await page.keyboard.press('Escape');
  }

  expect(found, `axe found serious/critical violations:\n${describe(found)}`).toEqual([]);
});
