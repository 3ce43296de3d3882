/**
 * What listing instances costs in the real OS keychain when the console also holds many tenant
 * tokens: the enumeration it used to do (`list('instance/')`: keytar's findCredentials, which
 * decrypts every secret of the service) against reading only the instance accounts (`has`).
 * Both measured in the same run, interleaved round by round.
 *
 *   bash scripts/with-keychain.sh npx tsx bench/keychain.ts [--tokens 2000] [--instances 5] [--runs 7]
 *
 * Runs in a keychain service of its own and removes every item it made.
 */
import { randomBytes } from 'node:crypto';
import keytar from 'keytar';
import { accountFor, KeytarSecretStore } from '../main/services/keychain';
import { SECRET_KINDS } from '../shared/instances/instance';

function argValue(flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  return v && /^\d+$/.test(v) ? Number(v) : fallback;
}

const TOKENS = argValue('--tokens', 2000);
const INSTANCES = argValue('--instances', 5);
const RUNS = argValue('--runs', 7);
const service = `tracardi-tenant-console-bench-${randomBytes(4).toString('hex')}`;

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function main(): Promise<void> {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('Run inside scripts/with-keychain.sh.');
  const ids = Array.from({ length: INSTANCES }, (_, i) => `bench${i}`);
  const made: string[] = [];
  try {
    for (const id of ids) {
      made.push(accountFor.instanceSecret(id, 'es-password'));
      await keytar.setPassword(service, made.at(-1)!, randomBytes(12).toString('hex'));
    }
    for (let t = 0; t < TOKENS; t++) {
      made.push(`token/${ids[t % INSTANCES]}/tenant${t}`);
      await keytar.setPassword(service, made.at(-1)!, randomBytes(24).toString('hex'));
    }
    const store = new KeytarSecretStore(service);
    const accounts = ids.flatMap((id) => SECRET_KINDS.map((kind) => accountFor.instanceSecret(id, kind)));
    const listed: number[] = [];
    const read: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      listed.push(await time(() => store.list('instance/')));
      read.push(await time(() => store.has(accounts)));
    }
    const l = median(listed);
    const h = median(read);
    // Counts and timings only: the secrets this bench made are random and never printed.
    console.log(`keychain: ${INSTANCES} instances, ${TOKENS} tenant tokens in the service, median of ${RUNS}`);
    console.log(`  list('instance/') (enumerates + decrypts all)   ${l.toFixed(1)} ms`);
    console.log(
      `  has(${accounts.length} instance accounts) (reads only them)  ${h.toFixed(1)} ms   (${(l / h).toFixed(1)}x faster)`,
    );
  } finally {
    for (const account of made) await keytar.deletePassword(service, account);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
