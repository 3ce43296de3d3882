// A tenant the console deleted comes back on "Found on instance" (a delete keeps its Elasticsearch
// data): the row says it was deleted, by whom and when, and what its domain was, and its action
// reads "Adopt again…"; a tenant never recorded has no such word. Light and dark, through axe.
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';
import { addInstance, installTenant, unique } from './support/world';

test('Found on instance: a deleted tenant says it was deleted, by whom and when, and offers to adopt it again', async ({
  tenantConsole,
}) => {
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  const suffix = `${unique('fd')}.e2e.test`;
  await addInstance(core, { id: 'inst-fd', name: 'Found D', sims, suffix, expectedAddress: '127.0.0.2' });

  // One tenant created by the console, installed by its customer, then deleted (its data stays).
  const gone = unique('gone');
  await core.tenants.create({
    instanceId: 'inst-fd',
    domain: `${gone}.${suffix}`,
    email: 'ops@example.com',
    tokenLifetimeDays: 7,
    capacityOverrideReason: 'test cluster is small',
  });
  const token = await core.tenants.revealToken('inst-fd', gone);
  const reply = await installTenant({ tracardiUrl: sims.tracardi.url, host: `${gone}.${suffix}`, token: token.token });
  expect(reply.status, reply.body).toBe(200);
  await core.tenants.delete({ instanceId: 'inst-fd', tenant: gone, force: true });

  // One installed without the console: never recorded, no tombstone.
  const stranger = unique('strange');
  sims.tms.tenants().set(stranger, {
    id: `id-${stranger}`,
    created: new Date().toISOString(),
    name: stranger,
    install_token: 'stranger-token-123456',
    email: null,
    expire: null,
  });
  expect(
    (
      await installTenant({
        tracardiUrl: sims.tracardi.url,
        host: `${stranger}.${suffix}`,
        token: 'stranger-token-123456',
      })
    ).status,
  ).toBe(200);

  const page = await tenantConsole.launch({ hash: '#/found/inst-fd' });
  const table = page.getByRole('table', { name: 'Tenants found on Found D' });
  const row = table.getByRole('row', { name: gone });
  await expect(row).toContainText('Deleted by ');
  await expect(row).toContainText(`it was ${gone}.${suffix}`);
  await expect(row).toContainText('a delete keeps the Elasticsearch data');
  await expect(row.getByRole('button', { name: `Adopt ${gone} again` })).toBeVisible();
  const other = table.getByRole('row', { name: stranger });
  await expect(other).not.toContainText('Deleted by');
  await expect(other.getByRole('button', { name: `Adopt ${stranger}`, exact: true })).toBeVisible();

  for (const theme of ['light', 'dark'] as const) {
    await page.getByLabel('Theme').selectOption(theme);
    const result = await new AxeBuilder({ page }).analyze();
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  }

  // Adopting it again records it again, as the words said.
  await row.getByRole('button', { name: `Adopt ${gone} again` }).click();
  const dialog = page.getByRole('dialog', { name: `Adopt ${gone}` });
  await dialog.getByRole('button', { name: 'Adopt', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(table.getByRole('row', { name: gone })).toHaveCount(0);
  expect((await (await tenantConsole.core()).tenants.get('inst-fd', gone)).adopted).toBeTruthy();
});
