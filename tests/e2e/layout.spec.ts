// Every screen at 1440, 1024 and 720 px, light and dark: nothing scrolls sideways (the page or the
// screen; below 1024 px a wide table may scroll in its own box), axe finds nothing serious or critical
// on each (and on the Delete and Keyboard shortcuts dialogs and New tenant's field errors), and an
// instance name of 80 characters (the longest validation allows) is cut to one line on the Fleet card
// and in the headroom table with the whole name as its title and accessible name. Found on instance
// fits at 1024 and 720. Loading the console asks for nothing that is not there (a favicon included).
import AxeBuilder from '@axe-core/playwright';
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { addInstance, installTenant, unique } from './support/world';

const WIDTHS = [1440, 1024, 720] as const;
const LONG_NAME = 'Europe West production cluster for retail and wholesale tenants, primary site 01'.slice(0, 80);

/**
 * How far the page and the screen's scroll box reach past their width (0: nothing scrolls sideways),
 * and the element that sticks out furthest past the screen's right edge, for the message. Run in the
 * page (a string: these specs compile without the DOM's types).
 */
const SIDEWAYS = `(() => {
  const doc = document.scrollingElement || document.documentElement;
  const main = document.getElementById('content');
  const edge = Math.min(main.getBoundingClientRect().right, doc.clientWidth);
  let widest = '';
  let most = 0;
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.table-scroll')) continue;
    const over = el.getBoundingClientRect().right - edge;
    if (over > most + 0.5) {
      most = over;
      widest = el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' "' + (el.textContent || '').slice(0, 40) + '"';
    }
  }
  const boxes = [...main.querySelectorAll('.table-scroll')]
    .filter((b) => b.scrollWidth > b.clientWidth + 0.5)
    .map((b) => (b.querySelector('caption') || b).textContent.slice(0, 40) + ' +' + (b.scrollWidth - b.clientWidth));
  return { page: doc.scrollWidth - doc.clientWidth, screen: main.scrollWidth - main.clientWidth, widest, boxes };
})()`;

interface Sideways {
  page: number;
  screen: number;
  widest: string;
  /** Tables that scroll sideways in their own box: allowed below 1024 px only. */
  boxes: string[];
}

async function sideways(page: Page): Promise<Sideways> {
  return page.evaluate(SIDEWAYS) as Promise<Sideways>;
}

interface Found {
  where: string;
  id: string;
  impact: string;
  targets: string[];
}

async function axe(page: Page, where: string, found: Found[]): Promise<void> {
  await page.waitForTimeout(150);
  const result = await new AxeBuilder({ page }).analyze();
  for (const v of result.violations)
    if (v.impact === 'serious' || v.impact === 'critical')
      found.push({ where, id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) });
  expect(result.passes.length, `${where}: axe passed no rule at all`).toBeGreaterThan(0);
}

test('every screen fits at 1440, 1024 and 720 px, light and dark, with no axe finding; long names are cut', async ({
  tenantConsole,
}) => {
  test.setTimeout(600_000);
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  const suffix = 'layout.e2e.test';
  await addInstance(core, { id: 'eu-long', name: LONG_NAME, sims, suffix, expectedAddress: '127.0.0.2' });
  // The installed one with a 40-character name (the most Tracardi 0.9 keeps): on Tenants, Verify,
  // Changes, the Audit log and its details, no table may widen past the screen for it.
  const [installed, fresh] = [unique('inst').padEnd(40, 'longtenantname'), unique('fresh')];
  for (const tenant of [installed, fresh])
    await core.tenants.create({
      instanceId: 'eu-long',
      domain: `${tenant}.${suffix}`,
      email: `ops@${tenant}.example.com`,
      tokenLifetimeDays: 30,
    });
  const { token } = await core.tenants.revealToken('eu-long', installed);
  expect((await installTenant({ tracardiUrl: sims.tracardi.url, host: `${installed}.${suffix}`, token })).status).toBe(
    200,
  );
  // Two tenants the instance holds that the console has no record of: Found on instance lists them.
  // One has a 40-character name (the most Tracardi 0.9 keeps), which no table may widen past the screen for.
  const longTenant = unique('old').padEnd(40, 'longtenantname');
  for (const name of [unique('old'), longTenant]) {
    const secret = randomBytes(16).toString('hex');
    sims.tms.tenants().set(name, {
      id: `id-${name}`,
      created: new Date().toISOString(),
      name,
      install_token: secret,
      email: null,
      expire: null,
    });
    expect(
      (await installTenant({ tracardiUrl: sims.tracardi.url, host: `${name}.${suffix}`, token: secret })).status,
    ).toBe(200);
  }

  const page = await tenantConsole.launch({ resolve: [`*.${suffix}=127.0.0.2`] });
  const missing: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) missing.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  // A call of the first load cut short by the reload below is the reload's doing, not a failure.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') missing.push(`failed ${new URL(r.url()).pathname}`);
  });
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  // The page names its icon inline (a data: URL, which the CSP's img-src allows): no request for it.
  const icon = String(await page.evaluate(`document.querySelector('link[rel="icon"]')?.getAttribute('href') ?? ''`));
  expect(icon).toMatch(/^data:image\/svg\+xml,/);
  expect(decodeURIComponent(icon.slice('data:image/svg+xml,'.length))).toMatch(
    /^<svg xmlns='http:\/\/www\.w3\.org\/2000\/svg' viewBox='0 0 32 32'>.*<\/svg>$/,
  );

  // A verification, so Verify has results and the Tenants rows their status.
  await tenantConsole.goto('#/verify');
  await page.getByRole('button', { name: 'Start verification' }).click();
  await expect(page.getByText(/2 of 2 checked — finished/)).toBeVisible();

  const screens: [string, string, () => Promise<void>][] = [
    ['Fleet', '#/fleet', () => expect(page.getByRole('region', { name: 'Headroom across the fleet' })).toBeVisible()],
    ['Instance', '#/instance/eu-long', () => expect(page.getByRole('heading', { name: 'Nodes' })).toBeVisible()],
    [
      'Tenants, a row expanded',
      '#/tenants',
      async () => {
        const row = page.locator(`[role="row"][data-tenant="${installed}"]`);
        if ((await row.getByRole('button', { name: installed }).getAttribute('aria-expanded')) !== 'true')
          await row.getByRole('button', { name: installed }).click();
        await expect(page.getByRole('region', { name: `Details of ${installed} on ${LONG_NAME}` })).toBeVisible();
      },
    ],
    ['New tenant', '#/new-tenant', () => expect(page.getByRole('heading', { name: /^Placement/ })).toBeVisible()],
    [
      'Found on instance',
      '#/found/eu-long',
      () => expect(page.getByRole('table', { name: `Tenants found on ${LONG_NAME}` })).toBeVisible(),
    ],
    ['Verify', '#/verify', () => expect(page.getByRole('list', { name: 'Results per status' })).toBeVisible()],
    ['Changes', '#/changes', () => expect(page.getByRole('heading', { level: 1, name: 'Changes' })).toBeVisible()],
    ['Instances', '#/instances', () => expect(page.getByRole('table', { name: 'Configured instances' })).toBeVisible()],
    ['Audit log', '#/audit', () => expect(page.getByRole('heading', { level: 1, name: /Audit log/ })).toBeVisible()],
    ['History', '#/history/eu-long', () => expect(page.getByRole('heading', { level: 1 })).toBeVisible()],
  ];

  const found: Found[] = [];
  const overflows: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const theme of ['light', 'dark'] as const) {
      await page.getByLabel('Theme').selectOption(theme);
      for (const [name, hash, ready] of screens) {
        await tenantConsole.goto(hash);
        await ready();
        const where = `${name} at ${width} px (${theme})`;
        const over = await sideways(page);
        if (over.page > 0 || over.screen > 0)
          overflows.push(`${where}: page +${over.page} px, screen +${over.screen} px; widest: ${over.widest}`);
        if (width >= 1024 && over.boxes.length) overflows.push(`${where}: a table scrolls: ${over.boxes.join(', ')}`);
        await axe(page, where, found);
      }

      // The dialogs and a form with its errors, at this width and theme.
      await tenantConsole.goto('#/tenants');
      await screens[2]![2]();
      await page
        .getByRole('region', { name: `Details of ${installed} on ${LONG_NAME}` })
        .getByRole('button', { name: 'Delete tenant' })
        .click();
      await expect(page.getByRole('dialog', { name: `Delete tenant ${installed}?` })).toBeVisible();
      await axe(page, `Delete confirmation at ${width} px (${theme})`, found);
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
      await expect(page.getByRole('dialog', { name: /Keyboard shortcuts/ })).toBeVisible();
      await axe(page, `Keyboard shortcuts at ${width} px (${theme})`, found);
      await page.keyboard.press('Escape');
      await tenantConsole.goto('#/new-tenant');
      const form = page.getByRole('form', { name: 'New tenant' });
      await form.getByLabel('Tenant API domain').fill(unique('probe'));
      await form.getByRole('button', { name: 'Create tenant' }).click();
      await expect(form.getByText('a valid contact e-mail is required')).toBeVisible();
      const over = await sideways(page);
      if (over.page > 0 || over.screen > 0) overflows.push(`New tenant with errors at ${width} px (${theme})`);
      await axe(page, `New tenant with field errors at ${width} px (${theme})`, found);
    }

    // The long name on the Fleet card and in the headroom table: one line, cut, the whole name kept.
    await tenantConsole.goto('#/fleet');
    const card = page.getByRole('article', { name: LONG_NAME });
    const title = card.getByRole('link', { name: LONG_NAME, exact: true });
    await expect(title).toHaveAttribute('title', LONG_NAME);
    const box = await title.evaluate((el) => ({
      height: el.clientHeight,
      cut: el.scrollWidth > el.clientWidth,
    }));
    // One line: its box is no taller than its link text's line (a wrapped title doubles it).
    expect(box.height, `Fleet card title height at ${width} px`).toBeLessThan(30);
    expect(box.cut, `Fleet card title cut at ${width} px`).toBe(true);
    const headroom = page.getByRole('region', { name: 'Headroom across the fleet' });
    const rowName = headroom.getByRole('link', { name: LONG_NAME, exact: true });
    await expect(rowName).toHaveAttribute('title', LONG_NAME);
    expect(await rowName.evaluate((el) => el.scrollWidth > el.clientWidth), `headroom name at ${width} px`).toBe(true);
    // The meters name the instance for a screen reader, not on screen (the column heading says what).
    await expect(headroom.getByRole('meter', { name: `${LONG_NAME} shards` })).toBeVisible();
    await expect(headroom.locator('.meter-label')).toHaveCount(0);
  }

  expect(overflows, overflows.join('\n')).toEqual([]);
  expect(found, found.map((f) => `${f.impact} ${f.id} on ${f.where}: ${f.targets.join(' | ')}`).join('\n')).toEqual([]);
  expect(missing).toEqual([]);
});
