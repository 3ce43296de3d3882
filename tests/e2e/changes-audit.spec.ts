// The Changes feed and the Audit log: filtered (kind, subject, instance, words, time; action,
// instance, tenant, outcome, time) with the filters in the URL, Changes acknowledged one by one and
// all at once (kept in the data folder: a reload and another shell see it), and both exported as
// CSV and JSON, exactly the rows shown.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { pageHash } from './support/page-state';
import { addInstance, installTenant, startTcpForwarder, unique } from './support/world';

async function download(page: Page, group: string, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('group', { name: group }).getByRole('button', { name: button }).click(),
  ]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

test('Changes and Audit log: filter, acknowledge and export', async ({ tenantConsole }) => {
  test.setTimeout(300_000);
  const sims = await tenantConsole.sims(0);
  const core = await tenantConsole.core();
  const suffix = 'feed.e2e.test';
  await addInstance(core, { id: 'feed-a', name: 'Watched A', sims, suffix, expectedAddress: '127.0.0.2' });
  // An instance whose Elasticsearch is gone: the first round reports it once, as a problem.
  const dead = await startTcpForwarder(sims.esUrl);
  await dead.kill();
  await addInstance(core, {
    id: 'feed-down',
    name: 'Down B',
    sims,
    suffix: `down.${suffix}`,
    expectedAddress: '127.0.0.3',
    esNode: dead.url,
    esTimeoutMs: 2000,
  });
  const tenant = unique('feed');
  await core.tenants.create({
    instanceId: 'feed-a',
    domain: `${tenant}.${suffix}`,
    email: `admin@${tenant}.example.com`,
    tokenLifetimeDays: 7,
  });
  const { token } = await core.tenants.revealToken('feed-a', tenant);
  expect((await installTenant({ tracardiUrl: sims.tracardi.url, host: `${tenant}.${suffix}`, token })).status).toBe(
    200,
  );

  const page = await tenantConsole.launch({ resolve: [`*.${suffix}=127.0.0.2`], hash: '#/changes' });
  const controls = page.getByRole('group', { name: 'Watch schedule' });
  const runRound = async () => {
    await controls.getByRole('button', { name: 'Run now' }).click();
    await expect(page.getByTestId('watch-status')).toContainText('Last round');
    await expect(page.getByTestId('watch-status')).not.toContainText('A round is running');
  };
  await runRound();
  const listed = (await (
    await fetch(`${sims.esUrl}/_cat/indices/*.${tenant}.tracardi-session-*?h=index&format=json`)
  ).json()) as { index: string }[];
  expect((await fetch(`${sims.esUrl}/${listed[0]!.index}`, { method: 'DELETE' })).status).toBe(200);
  await runRound();

  const feed = page.getByTestId('changes-feed');
  const rows = feed.locator('tbody tr');
  const count = page.getByTestId('changes-count');
  await expect(rows).toHaveCount(2);
  await expect(count).toHaveText('2 entries; 2 new');
  const drift = rows.filter({ hasText: `${tenant} on Watched A` });
  const down = rows.filter({ hasText: 'Down B' });
  await expect(drift).toContainText('installed -> drift');
  await expect(down).toContainText('(first seen) -> unreachable');

  // Filters, each in the URL.
  const bar = page.getByRole('search', { name: 'Filter the changes' });
  await bar.getByLabel('About').selectOption('tenant');
  await expect(rows).toHaveCount(1);
  await expect(count).toHaveText('Showing 1 of 2 entries; 2 new');
  expect(await pageHash(page)).toBe('#/changes?about=tenant');
  await bar.getByLabel('About').selectOption('');
  await bar.getByLabel('Instance').selectOption('feed-down');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Down B');
  await bar.getByLabel('Instance').selectOption('');
  await bar.getByLabel('Search changes').fill('drift');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(tenant);
  await bar.getByLabel('Kind').selectOption('recovered');
  await expect(rows).toHaveCount(0);
  await expect(page.getByText('No change matches these filters.')).toBeVisible();
  await bar.getByRole('button', { name: 'Clear filters' }).click();
  await bar.getByLabel('Since').selectOption('1h');
  await expect(rows).toHaveCount(2);
  expect(await pageHash(page)).toBe('#/changes?since=1h');

  // Export exactly what is shown: the instance's entry only.
  await bar.getByLabel('About').selectOption('instance');
  await expect(rows).toHaveCount(1);
  const csv = await download(page, 'Export the changes shown', 'Export CSV');
  expect(csv.name).toMatch(/^tracardi-changes-\d{4}-\d\d-\d\dT\d{4}Z\.csv$/);
  const lines = csv.text.trimEnd().split('\r\n');
  expect(lines[0]).toBe('Time,Subject,About,Instance,Tenant,From,To,Kind,Note,Detail,Seen');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(',Down B,instance,feed-down,,,unreachable,problem,baseline,');
  expect(lines[1]).toMatch(/,no$/);
  const json = await download(page, 'Export the changes shown', 'Export JSON');
  const exported = JSON.parse(json.text) as { subject: string; seen: boolean }[];
  expect(exported.map((e) => [e.subject, e.seen])).toEqual([['Down B', false]]);
  await bar.getByRole('button', { name: 'Clear filters' }).click();

  // Acknowledge one: kept in the data folder (a reload, another shell's core see it).
  await drift.getByRole('button', { name: /^Mark seen:/ }).click();
  await expect(drift).toHaveAttribute('data-seen', 'true');
  await expect(count).toHaveText('2 entries; 1 new');
  expect(existsSync(join(tenantConsole.dataDir, 'watch-acks.json'))).toBe(true);
  const driftId = Number(await drift.getAttribute('data-entry-id'));
  expect((await tenantConsole.core()).watch.acknowledgements().ids).toEqual([driftId]);
  await page.reload();
  await expect(count).toHaveText('2 entries; 1 new');
  await expect(drift).toHaveAttribute('data-seen', 'true');
  await bar.getByLabel('Show').selectOption('new');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Down B');
  // And all of them.
  await page.getByRole('button', { name: 'Mark all seen' }).click();
  await expect(count).toHaveText('Showing 0 of 2 entries; 0 new');
  await expect(rows).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Mark all seen' })).toBeDisabled();
  await page.goBack();
  await expect(rows).toHaveCount(2);
  await expect(rows.locator('[data-seen="false"]')).toHaveCount(0);

  // The Audit log: filtered in the URL, exported.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  const audit = page.getByRole('search', { name: 'Filter the audit log' });
  const auditRows = page.getByRole('table').locator('tbody tr');
  await audit.getByLabel('Tenant').fill(tenant);
  await expect(auditRows.first()).toContainText(tenant);
  await audit.getByLabel('Outcome').selectOption('ok');
  await audit.getByLabel('Since').selectOption('1h');
  await expect.poll(() => pageHash(page)).toBe(`#/audit?tenant=${tenant}&outcome=ok&since=1h`);
  const shown = await auditRows.count();
  expect(shown).toBeGreaterThan(0);
  const auditJson = await download(page, 'Export the audit entries shown', 'Export JSON');
  const entries = JSON.parse(auditJson.text) as { tenant?: string; outcome: string }[];
  expect(entries).toHaveLength(shown);
  expect(entries.every((e) => e.tenant === tenant && e.outcome === 'ok')).toBe(true);
  const auditCsv = await download(page, 'Export the audit entries shown', 'Export CSV');
  expect(auditCsv.name).toMatch(/^tracardi-audit-log-.*\.csv$/);
  const csvLines = auditCsv.text.split('\r\n');
  expect(csvLines[0]).toBe('Time,Operator,Workstation,Action,Instance,Tenant,Outcome,Team trail,Detail');
  // Each row says who, from where, and its place in the instance's team trail (a number).
  const cells = csvLines[1]!.split(',');
  expect(cells[1]).not.toBe('');
  expect(cells[2]).not.toBe('');
  expect(cells[7]).toMatch(/^\d+$/);
  await audit.getByLabel('Outcome').selectOption('refused');
  await expect(page.getByText('No audit entries match.')).toBeVisible();
  // A link to a filtered log opens it so.
  await tenantConsole.goto(`#/audit?action=create&tenant=${tenant}`);
  await expect(auditRows).toHaveCount(1);
  await expect(auditRows).toContainText('create');
  await expect(audit.getByLabel('Action')).toHaveValue('create');
});
