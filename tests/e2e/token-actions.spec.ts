// What the token panel and the lifecycle buttons offer follows the token's state, by the rule the
// services enforce (shared/tenants/token-actions.ts): nothing is offered only to be refused. An installed
// tenant's token is spent (no Reveal, Copy, Export, Mark handed over or Rotate; Revoke and Delete
// stay); a revoked tenant offers only Delete; an expired token offers Rotate, not a hand-over; a fresh
// one offers everything. (A token the keychain lost: remedies.spec.ts.)
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { addInstance, installTenant, unique } from './support/world';

const TOKEN_BUTTONS = ['Reveal token', 'Copy token', 'Export hand-off sheet', 'Mark handed over'];
const LIFECYCLE_BUTTONS = ['Rotate token', 'Revoke token', 'Delete tenant'];

/** The buttons an expanded row shows, of the token panel and the lifecycle actions. */
async function offered(page: Page, tenant: string): Promise<string[]> {
  const details = page.getByRole('region', { name: `Details of ${tenant} on EU test` });
  await expect(details.getByRole('button', { name: 'Delete tenant' })).toBeVisible();
  // The full record is in (expiry, this keychain's answer): the panel is no longer busy.
  await expect(details.getByRole('region', { name: `Installation token for ${tenant}` })).not.toHaveAttribute(
    'aria-busy',
    'true',
  );
  const shown: string[] = [];
  for (const name of [...TOKEN_BUTTONS, ...LIFECYCLE_BUTTONS])
    if (await details.getByRole('button', { name, exact: true }).isVisible()) shown.push(name);
  return shown;
}

async function expand(page: Page, tenant: string): Promise<void> {
  const row = page.locator(`[role="row"][data-tenant="${tenant}"]`);
  if ((await row.getByRole('button', { name: tenant }).getAttribute('aria-expanded')) !== 'true')
    await row.getByRole('button', { name: tenant }).click();
  await expect(page.getByRole('region', { name: `Details of ${tenant} on EU test` })).toBeVisible();
}

test('the token actions offered follow the token: spent, revoked, expired, fresh', async ({ tenantConsole }) => {
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  const suffix = 'tokens.example.test';
  await addInstance(core, { id: 'eu-test', name: 'EU test', sims, suffix, expectedAddress: '127.0.0.2' });
  const [spent, revoked, expired, fresh] = [unique('spent'), unique('revoked'), unique('expired'), unique('fresh')];
  for (const tenant of [spent, revoked, expired, fresh])
    await core.tenants.create({
      instanceId: 'eu-test',
      domain: `${tenant}.${suffix}`,
      email: `ops@${tenant}.example.com`,
      tokenLifetimeDays: 30,
    });
  const { token } = await core.tenants.revealToken('eu-test', spent);
  const reply = await installTenant({ tracardiUrl: sims.tracardi.url, host: `${spent}.${suffix}`, token });
  expect(reply.status, reply.body).toBe(200);
  await core.tenants.revoke('eu-test', revoked);
  // A token past its expiry: the record's dates moved back 30-day lifetime and all (nobody waits a
  // month), in the instance's team registry where the record lives.
  const registry = await core.registry.of('eu-test');
  const stored = (await registry.read(expired))!;
  const doc = structuredClone(stored.doc);
  doc.record.createdAt = '2019-12-02T00:00:00.000Z';
  doc.record.tokenExpiresAt = '2020-01-01T00:00:00.000Z';
  registry.remember(await registry.write(stored, doc, { refresh: true }));

  const page = await tenantConsole.launch({ resolve: [`*.${suffix}=127.0.0.2`] });
  // Verification finds the install: the record becomes 'installed', its token spent.
  await tenantConsole.goto('#/verify');
  await page.getByRole('button', { name: 'Start verification' }).click();
  await expect(page.getByText(/4 of 4 checked — finished/)).toBeVisible();
  await tenantConsole.goto('#/tenants');

  await expand(page, spent);
  expect(await offered(page, spent)).toEqual(['Revoke token', 'Delete tenant']);
  await expect(
    page.getByRole('region', { name: `Details of ${spent} on EU test` }).getByTestId('token-unavailable'),
  ).toHaveText(
    `Tenant ${spent} is installed: its installation token is spent (Tracardi takes it once), so there is no token to hand over.`,
  );

  await expand(page, revoked);
  expect(await offered(page, revoked)).toEqual(['Delete tenant']);
  await expect(
    page.getByRole('region', { name: `Details of ${revoked} on EU test` }).getByTestId('token-unavailable'),
  ).toHaveText(`Tenant ${revoked} is revoked: it has no token.`);

  await expand(page, expired);
  expect(await offered(page, expired)).toEqual(['Rotate token', 'Revoke token', 'Delete tenant']);
  // Rotating it issues a fresh token: the hand-over is offered again.
  await page
    .getByRole('region', { name: `Details of ${expired} on EU test` })
    .getByRole('button', { name: 'Rotate token' })
    .click();
  await expect.poll(() => offered(page, expired)).toEqual([...TOKEN_BUTTONS, ...LIFECYCLE_BUTTONS]);

  await expand(page, fresh);
  expect(await offered(page, fresh)).toEqual([...TOKEN_BUTTONS, ...LIFECYCLE_BUTTONS]);

  // The services hold the same rule: what is not offered is refused, in the same words.
  const after = await tenantConsole.core();
  await expect(after.tenants.rotate('eu-test', spent)).rejects.toThrow(
    `Tenant ${spent} on eu-test is installed: its installation token is spent and is not rotated (revoke it instead).`,
  );
  await expect(after.tenants.revealToken('eu-test', spent)).rejects.toThrow(
    /is installed: its installation token is spent/,
  );
  await expect(after.tenants.markHandedOver('eu-test', revoked)).rejects.toThrow(/is revoked: it has no token/);
});
