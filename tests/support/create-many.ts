/**
 * Test-only entry: one console (its --data-dir, the keychain service in TENANT_CONSOLE_KEYCHAIN_SERVICE)
 * creating the given tenants one after another, printing one JSON line per tenant:
 * `{"tenant", "ok", "code"?, "message"?}`. Two of these at once on one instance are two operators
 * racing for the same names (tests/integration/registry-race.test.ts).
 *
 *   node --import tsx tests/support/create-many.ts <data-dir> <instance> <name,name,...>
 */
import { createCore } from '../../main/core';
import { ConsoleError } from '../../shared/errors/errors';

const [, , dataDir, instanceId, list] = process.argv;
if (!dataDir || !instanceId || !list) {
  process.stderr.write('create-many: <data-dir> <instance> <name,name,...>\n');
  process.exit(2);
}
const core = await createCore({ dataDir, shell: 'cli' });
for (const tenant of list.split(',')) {
  try {
    await core.tenants.create({
      instanceId,
      domain: tenant,
      email: `owner@${tenant}.test`,
      tokenLifetimeDays: 7,
      capacityOverrideReason: 'race test: capacity is not what it measures',
    });
    process.stdout.write(`${JSON.stringify({ tenant, ok: true })}\n`);
  } catch (err) {
    const e = err instanceof ConsoleError ? err : new ConsoleError('internal', String(err));
    process.stdout.write(`${JSON.stringify({ tenant, ok: false, code: e.code, message: e.message })}\n`);
  }
}
core.registry.close();
process.exit(0);
