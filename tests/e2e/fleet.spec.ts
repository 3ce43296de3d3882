// Add an instance through the Instances form, test its connection (a wrong TMS key first), save it,
// and see its Elasticsearch capacity on the Fleet.
import { test, expect } from './fixtures';
import { unique } from './support/world';

test('add an instance with a connection test; the fleet shows its capacity', async ({ tenantConsole }) => {
  const sims = await tenantConsole.sims(0);
  const id = unique('eu');
  const page = await tenantConsole.launch();
  const nav = page.getByRole('navigation', { name: 'Main' });

  await expect(page.getByRole('heading', { name: 'Fleet', level: 1 })).toBeVisible();
  await expect(page.getByText('No instances yet.')).toBeVisible();

  await nav.getByRole('link', { name: 'Instances' }).click();
  await page.getByRole('button', { name: 'Add instance' }).click();
  const form = page.getByRole('form', { name: 'Add instance' });
  await form.getByLabel('Instance id').fill(id);
  await form.getByLabel('Display name').fill('EU staging');
  await form.getByLabel('Environment').selectOption('staging');
  await form.getByLabel('Tracardi API URL').fill(sims.tracardi.url);
  await form.getByLabel('Tenant domain suffix').fill('eu.e2e.test');
  await form.getByLabel('Tracardi version').selectOption('0.9.x');
  await form.getByLabel('TMS URL').fill(sims.tms.url);
  await form.getByLabel('TMS API key').fill('not-the-key');
  await form.getByLabel('Elasticsearch nodes (one per line)').fill(sims.esUrl);
  await form.getByLabel('Expected addresses (one per line)').fill('127.0.0.2');

  // A wrong TMS API key: the TMS check fails and says so; the other two pass.
  await form.getByRole('button', { name: 'Test connection' }).click();
  const checks = form.getByRole('list', { name: 'Connection test results' });
  await expect(checks.locator('li[data-target="tms"]')).toHaveClass(/check-failed/);
  await expect(checks.locator('li[data-target="tracardi"]')).toHaveClass(/check-ok/);
  await expect(checks.locator('li[data-target="elasticsearch"]')).toHaveClass(/check-ok/);

  // The right key: all three pass, with what was found.
  await form.getByLabel('TMS API key').fill(sims.tmsApiKey);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(checks.locator('li[data-target="tms"]')).toHaveClass(/check-ok/);
  await expect(checks.locator('li.check-ok')).toHaveCount(3);
  await expect(checks.locator('li[data-target="tracardi"]')).toContainText('0.9');
  await expect(checks.locator('li[data-target="elasticsearch"]')).toContainText('8.19');
  await tenantConsole.screenshot('instances-add');

  await form.getByRole('button', { name: 'Save instance' }).click();
  await expect(form).toBeHidden();
  const row = page.getByRole('row', { name: /EU staging/ });
  await expect(row).toContainText(id);
  await expect(row).toContainText('stored in keychain: tms-api-key');
  await tenantConsole.screenshot('instances');

  // The key went to the keychain, not to the settings file.
  const core = await tenantConsole.core();
  expect(await core.secrets.list(`instance/${id}/`)).toEqual([`instance/${id}/tms-api-key`]);
  expect(JSON.stringify(core.settings.read())).not.toContain(sims.tmsApiKey);

  await nav.getByRole('link', { name: 'Fleet' }).click();
  const card = page.getByRole('article', { name: 'EU staging' });
  await expect(card.getByText('Cluster health')).toBeVisible();
  await expect(card).toContainText(/8\.19\.\d+/);
  await expect(card).toContainText(/[\d,]+ of [\d,]+ shards/);
  await expect(card).toContainText(/Room for [\d,]+ more tenants?; (shard limit|disk) binds/);
  await expect(card).toContainText(/Snapshot .*ago|Snapshot just now|Snapshot/);
  // The instance's forecast (the one every screen shows: months and method), and whether the shard
  // cost stands on the cluster's own indices or on assumptions.
  const forecast = card.getByRole('list', { name: 'Forecast of EU staging' }).getByRole('listitem');
  await expect(forecast.nth(0)).toContainText(/^Shard limit[: ].*: .*[\d,]+ of [\d,]+ shards open$/);
  await expect(forecast.nth(1)).toContainText(
    /^Low disk watermark[: ].*(left to the low watermark|reaches its low watermark)$/,
  );
  await expect(card).toContainText(/Shard cost (measured|assumed|partly measured)\./);
  await expect(card.locator('.sizes-age')).toContainText(/Tenant sizes (read with this snapshot|from .*)/);
  await tenantConsole.screenshot('fleet-one-instance');

  // The card opens the instance's own screen.
  await card.getByRole('link', { name: 'EU staging' }).click();
  await expect(page).toHaveURL(new RegExp(`#/instance/${id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('EU staging');
  // The layout behind room and growth: every 0.9 partitioned type with its period and source.
  const layout = page.getByRole('region', { name: 'Partitions and shards' });
  await expect(layout).toContainText(/ELASTIC_INDEX_SHARDS \d+ \((measured|assumed)\)/);
  for (const type of ['event', 'entity', 'log', 'session', 'profile', 'field-update-log'])
    await expect(layout.getByRole('rowheader', { name: type, exact: true })).toBeVisible();
  await expect(layout.getByRole('row', { name: /^log / })).toContainText('month (LOG_PARTITIONING)');
  await tenantConsole.screenshot('instance');
});
