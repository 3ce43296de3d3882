// The fleet report from the Tenants screen: Export CSV and Export JSON download a file in the
// browser, the CSV reads back through a real parser, the JSON through JSON.parse, and neither holds
// an installation token (the tokens were revealed to the test, so it knows what to look for).
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { test, expect } from './fixtures';
import { addInstance, unique } from './support/world';

test('Export CSV and Export JSON download the fleet report, without a token', async ({ tenantConsole }) => {
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  const suffix = 'report.example.test';
  await addInstance(core, {
    id: 'eu-prod',
    name: 'EU production',
    environment: 'production',
    sims,
    suffix,
    expectedAddress: '127.0.0.2',
  });
  const tenants = [unique('alpha'), unique('beta')];
  const tokens: string[] = [];
  for (const tenant of tenants) {
    await core.tenants.create({
      instanceId: 'eu-prod',
      domain: `${tenant}.${suffix}`,
      email: `ops@${tenant}.example.com`,
      tokenLifetimeDays: 30,
    });
    tokens.push((await core.tenants.revealToken('eu-prod', tenant)).token);
  }
  await core.tenants.markHandedOver('eu-prod', tenants[1]!);

  const page = await tenantConsole.launch({ hash: '#/tenants' });
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 2 of 2 tenants');
  const group = page.getByRole('group', { name: 'Fleet report' });

  const download = async (button: string): Promise<{ name: string; text: string }> => {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      group.getByRole('button', { name: button }).click(),
    ]);
    const path = await file.path();
    return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
  };

  const csv = await download('Export CSV');
  expect(csv.name).toMatch(/^tracardi-fleet-report-\d{4}-\d\d-\d\dT\d{4}Z\.csv$/);
  await expect(page.getByRole('status').filter({ hasText: 'Fleet report' })).toHaveText(
    `Fleet report (2 tenants) saved as ${csv.name}.`,
  );
  const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
  expect(rows.map((r) => r.tenant).sort()).toEqual([...tenants].sort());
  expect(rows.find((r) => r.tenant === tenants[1])).toMatchObject({
    instance_id: 'eu-prod',
    instance_name: 'EU production',
    environment: 'production',
    status: 'handed-over',
    token_state: 'valid',
    last_verified_at: '',
  });

  const json = await download('Export JSON');
  expect(json.name).toMatch(/\.json$/);
  const report = JSON.parse(json.text) as { tenants: { tenant: string; status: string; tokenState: string }[] };
  expect(report.tenants.map((r) => [r.tenant, r.status, r.tokenState]).sort()).toEqual(
    [
      [tenants[0], 'registered', 'valid'],
      [tenants[1], 'handed-over', 'valid'],
    ].sort(),
  );

  for (const text of [csv.text, json.text])
    for (const token of tokens) expect(text.includes(token), 'the report holds a token').toBe(false);
});
