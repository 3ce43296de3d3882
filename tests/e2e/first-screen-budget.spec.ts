// The first screen's bundle: a cold load of Tenants fetches at most 200 KiB of JavaScript and CSS
// (gzipped), and none of what other screens need: the charts (uPlot), the schemas (zod), the search
// box, Settings, the index browser, the exports; and in at most 7 files. The cold first render
// (< 300 ms) is bench/ui.ts's.
import { gzipSync } from 'node:zlib';
import { test, expect } from './fixtures';

const BUDGET_BYTES = 200 * 1024;
/** Script and style files of a cold load of Tenants (12 before the small chunks joined the frame). */
const FIRST_SCREEN_FILES = 7;
/** Chunks a first load of Tenants must not fetch (their names without the content hash). */
const LAZY = ['history-chart', 'schemas', 'search', 'settings', 'indices', 'log-tools', 'changes', 'audit'];

test('a cold load of Tenants fetches at most 200 KiB gzipped, and nothing of the other screens', async ({
  tenantConsole,
}) => {
  const page = await tenantConsole.launch({ hash: '#/tenants' });
  await expect(page.getByRole('heading', { level: 1, name: 'Tenants' })).toBeVisible();
  // Reloaded on Tenants: every asset the first screen asks for (from the cache or not) is a response.
  const fetched = new Map<string, number>();
  const bodies: Promise<void>[] = [];
  page.on('response', (res) => {
    const file = new URL(res.url()).pathname.split('/').pop() ?? '';
    if (!/\.(js|css)$/.test(file)) return;
    bodies.push(res.body().then((body) => void fetched.set(file, gzipSync(body).length)));
  });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Tenants' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await Promise.all(bodies);
  const total = [...fetched.values()].reduce((a, b) => a + b, 0);
  const names = [...fetched.keys()].map((n) => n.replace(/-[\w-]{8}\.(js|css)$/, ''));
  // The figure, for the record (docs/ui-testing.md quotes it).
  console.log(
    `first screen: ${(total / 1024).toFixed(1)} KiB gzipped: ${[...fetched].map(([n, b]) => `${n} ${(b / 1024).toFixed(1)}`).join(', ')}`,
  );
  expect(names).toContain('react');
  expect(names).toContain('tenants');
  expect(names.filter((n) => LAZY.includes(n))).toEqual([]);
  expect(total).toBeLessThan(BUDGET_BYTES);
  // Few files too: the entry, its stylesheet, React, the frame, root, the bundler's runtime and the
  // screen. A browser opens six connections to one host, which the first calls share: every extra
  // small chunk (electron.vite.config.ts, FIRST_SCREEN_SMALL) waited for one.
  expect(fetched.size, names.join(', ')).toBeLessThanOrEqual(FIRST_SCREEN_FILES);
});
