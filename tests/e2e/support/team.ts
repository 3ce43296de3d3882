// What the team specs stand on: a SECOND console in the test process (its own data folder, its own
// keychain service, another operator's name), acting on the same instances' team registry as the
// fixture's console; and axe's serious and critical findings on the page as it is now.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { Core } from '../../../main/core';

export interface OtherConsole {
  core: Core;
  dataDir: string;
  keychainService: string;
  /** Closes its registry clients, empties its keychain service, removes its data folder. */
  dispose(): Promise<void>;
}

/**
 * Another operator's console on this workstation: `createCore` on a fresh data folder with its own
 * keychain service (so its keychain id, and the tokens it holds, are its own) and the operator name
 * given. Its instances are added by the spec (same suffix and Elasticsearch: the same registry).
 */
export async function otherConsole(operator: { name: string; email?: string }): Promise<OtherConsole> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tracardi-e2e-other-'));
  const keychainService = `tracardi-tenant-console-e2e-${process.pid}-other-${randomBytes(4).toString('hex')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: keychainService };
  delete env.TENANT_CONSOLE_DATA_DIR;
  const { createCore } = await import('../../../main/core');
  const core = await createCore({ dataDir, env, shell: 'test' });
  core.operator.set({ name: operator.name, email: operator.email ?? null });
  return {
    core,
    dataDir,
    keychainService,
    dispose: async () => {
      core.registry.close();
      for (const account of await core.secrets.list('').catch(() => [] as string[]))
        await core.secrets.delete(account).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** axe on the page as it is now: its serious and critical findings, one line each (empty: none). */
export async function seriousAxeFindings(page: Page, where: string): Promise<string[]> {
  // Let fades and late re-renders settle: axe reads computed colours.
  await page.waitForTimeout(200);
  const result = await new AxeBuilder({ page }).analyze();
  if (result.passes.length === 0) return [`${where}: axe passed no rule at all`];
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id} on ${where}: ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join(', ')} — ${(v.nodes[0]?.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)}`,
    );
}
