// Every screen, state and dialog, in the light AND the dark theme, at 1440, 1024 and 720 px wide,
// through axe-core: no serious or critical violation (colour contrast, names, labels, roles). At
// 1024 px nothing scrolls sideways either: not the page, not the screen, not a table's box. A
// failure prints each finding with the width, theme and screen it was found on, and the elements.
import { randomBytes } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, type TenantConsole } from './fixtures';
import { sidewaysScrollers } from './support/page-state';
import { addInstance, installTenant, startTcpForwarder, unique } from './support/world';

interface Found {
  where: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
  /** axe's own account of the first element (e.g. the measured contrast ratio). */
  summary: string;
}

interface Checker {
  found: Found[];
  /** Elements that scroll sideways, per state (checked at 1024 px only). */
  sideways: string[];
  check(page: Page, theme: string, screen: string): Promise<void>;
}

function checker(width: number): Checker {
  const found: Found[] = [];
  const sideways: string[] = [];
  return {
    found,
    sideways,
    async check(page, theme, screen) {
      const where = `${screen} (${theme}, ${width} px)`;
      // Let fades and late re-renders settle: axe reads computed colours.
      await page.waitForTimeout(200);
      const result = await new AxeBuilder({ page }).analyze();
      for (const v of result.violations) {
        if (v.impact !== 'serious' && v.impact !== 'critical') continue;
        found.push({
          where,
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 8),
          summary: (v.nodes[0]?.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
        });
      }
      // A screen counts only once it was really checked.
      expect(result.passes.length, `${where}: axe passed no rule at all`).toBeGreaterThan(0);
      if (width !== 1024) return;
      const wide = await sidewaysScrollers(page);
      // "Found on instance" is laid out anew on another branch (its table's columns): not judged here.
      if (!screen.startsWith('Found on instance') && !screen.startsWith('Adopt dialog'))
        for (const w of wide) sideways.push(`${where}: ${w}`);
    },
  };
}

function describeFound(found: Found[]): string {
  return found
    .map((f) => `${f.impact} ${f.id} on ${f.where}: ${f.help}\n    ${f.targets.join('\n    ')}\n    ${f.summary}`)
    .join('\n');
}

const SUFFIX = 'a11y.example.test';

interface World {
  installed: string;
  handed: string;
  drifted: string;
  foundName: string;
}

/** Two instances with tenants in every state, one drifted; one found on the instance; one instance down. */
async function seed(tenantConsole: TenantConsole): Promise<World> {
  const sims = await tenantConsole.sims(0);
  const stagingSims = await tenantConsole.sims(1);
  const core = await tenantConsole.core();
  await addInstance(core, {
    id: 'eu-prod',
    name: 'EU production',
    environment: 'production',
    colour: '#c62828',
    sims,
    suffix: SUFFIX,
    expectedAddress: '127.0.0.2',
  });
  // A second instance in the colour the Instances form proposes: its badge is drawn in that colour.
  await addInstance(core, {
    id: 'us-staging',
    name: 'US staging',
    environment: 'staging',
    colour: '#2f6fde',
    sims: stagingSims,
    suffix: `us.${SUFFIX}`,
    expectedAddress: '127.0.0.3',
  });
  // An instance whose Elasticsearch is gone: its error state on the Fleet, a Changes entry.
  const dead = await startTcpForwarder(sims.esUrl);
  await dead.kill();
  await addInstance(core, {
    id: 'gone',
    name: 'Gone dev',
    environment: 'development',
    sims,
    suffix: `gone.${SUFFIX}`,
    expectedAddress: '127.0.0.4',
    esNode: dead.url,
    esTimeoutMs: 2000,
  });
  const [installed, handed, fresh, drifted] = [unique('inst'), unique('hand'), unique('new'), unique('drift')];
  for (const tenant of [installed, handed, fresh, drifted]) {
    await core.tenants.create({
      instanceId: 'eu-prod',
      domain: `${tenant}.${SUFFIX}`,
      email: `admin@${tenant}.example.com`,
      tokenLifetimeDays: 30,
    });
  }
  for (const tenant of [installed, drifted]) {
    const { token } = await core.tenants.revealToken('eu-prod', tenant);
    const reply = await installTenant({ tracardiUrl: sims.tracardi.url, host: `${tenant}.${SUFFIX}`, token });
    expect(reply.status, reply.body).toBe(200);
  }
  const listed = (await (
    await fetch(`${sims.esUrl}/_cat/indices/*.${drifted}.tracardi-session-*?h=index&format=json`)
  ).json()) as { index: string }[];
  expect((await fetch(`${sims.esUrl}/${listed[0]!.index}`, { method: 'DELETE' })).status).toBe(200);
  await core.tenants.markHandedOver('eu-prod', handed);
  const staged = unique('stage');
  await core.tenants.create({
    instanceId: 'us-staging',
    domain: `${staged}.us.${SUFFIX}`,
    email: `admin@${staged}.example.com`,
    tokenLifetimeDays: 30,
  });
  // Installed without the console: "Found on instance" shows it, with its Adopt dialog.
  const foundName = unique('old');
  const foundToken = randomBytes(16).toString('hex');
  stagingSims.tms.tenants().set(foundName, {
    id: `id-${foundName}`,
    created: new Date().toISOString(),
    name: foundName,
    install_token: foundToken,
    email: null,
    expire: null,
  });
  const reply = await installTenant({
    tracardiUrl: stagingSims.tracardi.url,
    host: `${foundName}.us.${SUFFIX}`,
    token: foundToken,
  });
  expect(reply.status, reply.body).toBe(200);
  return { installed, handed, drifted, foundName };
}

/** Every screen, state and dialog once, in the theme set now. */
async function visitAll(page: Page, theme: string, world: World, c: Checker): Promise<void> {
  const { installed, handed, drifted, foundName } = world;
  const nav = page.getByRole('navigation', { name: 'Main' });
  const main = page.getByRole('main');
  const check = (screen: string) => c.check(page, theme, screen);
  const go = async (hash: string) =>
    page.evaluate((h) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = h;
    }, hash);

  await nav.getByRole('link', { name: 'Fleet' }).click();
  await expect(page.getByRole('article', { name: 'EU production' }).getByText('Cluster health')).toBeVisible();
  await expect(page.getByRole('article', { name: 'Gone dev' }).getByRole('alert')).toBeVisible();
  await check('Fleet, one instance down');

  await page.getByRole('article', { name: 'EU production' }).getByRole('link', { name: 'EU production' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'EU production' })).toBeVisible();
  await expect(main).toContainText(installed);
  await check('Instance');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(
    page.getByRole('region', { name: 'Connection test of EU production' }).locator('[data-target="elasticsearch"]'),
  ).toBeVisible();
  await check('Instance, connection tested');

  await go('#/history/eu-prod');
  await expect(page.getByRole('heading', { level: 1, name: 'EU production: capacity over time' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Range' })).toBeVisible();
  await check('History');

  await go(`#/indices/eu-prod?tenant=${drifted}`);
  await expect(page.getByRole('list', { name: 'Missing artefacts' })).toBeVisible();
  await check('Indices of a drifted tenant');

  await nav.getByRole('link', { name: 'Tenants' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 5 of 5 tenants');
  await check('Tenants');
  const search = page.getByRole('search', { name: 'Filter tenants' });
  await search.getByLabel('Search tenants').fill('nothing-is-called-this');
  await expect(page.getByText('No tenant matches these filters.')).toBeVisible();
  await check('Tenants, nothing matches');
  await search.getByRole('button', { name: 'Clear filters' }).click();

  const row = page.locator(`[role="row"][data-tenant="${handed}"]`);
  await row.getByRole('button', { name: handed }).click();
  const details = page.getByRole('region', { name: `Details of ${handed} on EU production` });
  await expect(details).toContainText('Status evidence');
  await check('Tenants, expanded row');

  await details.getByRole('button', { name: 'Reveal token' }).click();
  await expect(details.getByTestId('revealed-token')).toBeVisible();
  await check('Tenants, token revealed');
  await details.getByRole('button', { name: 'Hide token' }).click();

  await details.getByRole('button', { name: 'Rotate token' }).click();
  await expect(page.getByRole('dialog', { name: `Rotate the token of ${handed}?` })).toBeVisible();
  await check('Rotate confirmation');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // Collapse, then the installed tenant's delete: refused without Force, the refusal in the dialog.
  await row.getByRole('button', { name: handed }).click();
  const installedRow = page.locator(`[role="row"][data-tenant="${installed}"]`);
  await installedRow.getByRole('button', { name: installed }).click();
  const installedDetails = page.getByRole('region', { name: `Details of ${installed} on EU production` });
  await installedDetails.getByRole('button', { name: 'Delete tenant' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete tenant ${installed}?` });
  await expect(dialog).toBeVisible();
  await check('Delete confirmation');
  await dialog.getByLabel(`Type ${installed} to confirm`).fill(installed);
  await dialog.getByRole('button', { name: 'Delete tenant' }).click();
  await expect(dialog.getByRole('alert')).toContainText('is installed');
  // The refusal names this dialog's Force checkbox, not tenantctl's --force.
  await expect(dialog.getByRole('alert')).toContainText('Tick Force in the Delete dialog');
  await check('Delete confirmation, refused');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await installedRow.getByRole('button', { name: installed }).click();

  await nav.getByRole('link', { name: 'New tenant' }).click();
  const form = page.getByRole('form', { name: 'New tenant' });
  await form.getByLabel('Instance').selectOption('eu-prod');
  await form.getByLabel('Tenant API domain').fill('Company-X');
  await expect(form.getByLabel('Derived tenant name')).toHaveText('companyx');
  await expect(form.locator('.check', { hasText: 'Capacity:' })).toBeVisible();
  await check('New tenant');
  // Submitting without an e-mail shows the field errors.
  await form.getByRole('button', { name: /Create tenant/ }).click();
  await expect(form.getByText(/e-mail/i).first()).toBeVisible();
  await check('New tenant, field errors');

  await go('#/found/us-staging');
  const foundTable = page.getByRole('table', { name: 'Tenants found on US staging' });
  await expect(foundTable.getByRole('row', { name: foundName })).toBeVisible();
  await check('Found on instance');
  await foundTable.getByRole('button', { name: `Adopt ${foundName}` }).click();
  await expect(page.getByRole('dialog', { name: `Adopt ${foundName}` })).toBeVisible();
  await check('Adopt dialog');
  await page.keyboard.press('Escape');

  await nav.getByRole('link', { name: 'Verify' }).click();
  await expect(page.getByRole('list', { name: 'Results per status' })).toBeVisible();
  await check('Verify with results');
  await page.getByRole('button', { name: `Evidence for ${drifted} on EU production` }).click();
  await expect(page.getByRole('link', { name: `Indices of ${drifted}` })).toBeVisible();
  await check('Verify, evidence of a drift');

  await nav.getByRole('link', { name: 'Changes' }).click();
  await expect(page.getByTestId('changes-feed')).toContainText(drifted);
  await check('Changes with entries');
  await page.getByRole('search', { name: 'Filter the changes' }).getByLabel('Kind').selectOption('recovered');
  await expect(page.getByText('No change matches these filters.')).toBeVisible();
  await check('Changes, nothing matches');
  await page.getByRole('search', { name: 'Filter the changes' }).getByRole('button', { name: 'Clear filters' }).click();

  await nav.getByRole('link', { name: 'Instances' }).click();
  await expect(page.getByRole('row', { name: /EU production/ })).toBeVisible();
  await check('Instances');
  await page.getByRole('button', { name: 'Test connection to US staging' }).click();
  await expect(
    page.getByRole('region', { name: 'Connection test of US staging' }).locator('[data-target="tms"]'),
  ).toBeVisible();
  await check('Instances, connection tested');
  await page.getByRole('button', { name: 'Add instance' }).click();
  await expect(page.getByRole('form').first()).toBeVisible();
  await check('Instances, add form');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Remove EU production' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await check('Remove instance confirmation');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  await nav.getByRole('link', { name: 'Audit log' }).click();
  await expect(main).toContainText('verify');
  await check('Audit log');
  const auditFilters = page.getByRole('search', { name: 'Filter the audit log' });
  await auditFilters.getByLabel('Action').fill('nothing-did-this');
  await expect(page.getByText('No audit entries match.')).toBeVisible();
  await check('Audit log, nothing matches');
  await auditFilters.getByRole('button', { name: 'Clear filters' }).click();

  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('region', { name: 'Keychain', exact: true })).toContainText('available');
  await expect(page.getByTestId('keychain-secrets')).toBeVisible();
  await check('Settings');

  await page.keyboard.press('Control+K');
  const box = page.getByRole('dialog', { name: 'Search' }).getByRole('combobox');
  await box.fill(installed.slice(0, 4));
  await expect(page.getByRole('listbox', { name: 'Search results' }).getByRole('option').first()).toBeVisible();
  await check('Search');
  await page.keyboard.press('Escape');

  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await check('Keyboard shortcuts');
  await page.keyboard.press('Escape');
}

for (const width of [1440, 1024, 720]) {
  test.describe(`${width} px wide`, () => {
    test.use({ viewport: { width, height: 900 } });

    test(`every screen, state and dialog: no serious or critical axe finding, light and dark${width === 1024 ? ', nothing scrolls sideways' : ''}`, async ({
      tenantConsole,
    }) => {
      test.setTimeout(900_000);
      const world = await seed(tenantConsole);
      const page = await tenantConsole.launch({ resolve: [`*.us.${SUFFIX}=127.0.0.3`, `*.${SUFFIX}=127.0.0.2`] });
      const nav = page.getByRole('navigation', { name: 'Main' });
      const c = checker(width);

      // A verification first (Verify with results), so Tenants carries statuses and evidence; then
      // a watch round, so Changes has entries (the drifted tenant, the instance that is down).
      await nav.getByRole('link', { name: 'Verify' }).click();
      await page.getByRole('button', { name: 'Start verification' }).click();
      await expect(page.getByText(/5 of 5 checked — finished/)).toBeVisible();
      await nav.getByRole('link', { name: 'Changes' }).click();
      await page.getByRole('group', { name: 'Watch schedule' }).getByRole('button', { name: 'Run now' }).click();
      await expect(page.getByTestId('watch-status')).toContainText('Last round');
      await expect(page.getByTestId('watch-status')).not.toContainText('A round is running');
      // The round's notifications over the screen (both themes: changes.spec.ts), then dismissed.
      const toasts = page.getByRole('region', { name: 'Watch notifications' }).getByTestId('watch-toast');
      await expect(toasts.first()).toBeVisible();
      await c.check(page, 'light', 'Changes, with notifications');
      while ((await toasts.count()) > 0)
        await toasts
          .first()
          .getByRole('button', { name: /^Dismiss/ })
          .click();

      for (const theme of ['light', 'dark'] as const) {
        await page.getByLabel('Theme', { exact: true }).selectOption(theme);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await visitAll(page, theme, world, c);
      }

      // Both lists at once, so one run names every finding.
      expect(
        { axe: c.found.map((f) => `${f.impact} ${f.id} on ${f.where}: ${f.targets.join(', ')}`), sideways: c.sideways },
        `axe found serious/critical violations:\n${describeFound(c.found)}`,
      ).toEqual({ axe: [], sideways: [] });
    });
  });
}
