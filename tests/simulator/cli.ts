// Starts a simulated TMS and Tracardi and prints their URLs as one JSON line; stops on SIGINT/SIGTERM.
//   npx tsx tests/simulator/cli.ts --es <url> --version 0.9.x [--tms-api-key k] [--single-tenant]
//        [--tms-port n] [--tracardi-port n] [--index-shards n] [--conf-shards n] [--replicas n]
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { SimVersion } from './naming';
import { startTms } from './tms';
import { startTracardi } from './tracardi';

const USAGE =
  'usage: cli.ts --es <url> --version 0.8.x|0.9.x [--tms-api-key k] [--single-tenant] [--tms-port n] [--tracardi-port n] [--index-shards n] [--conf-shards n] [--replicas n]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    es: { type: 'string' },
    version: { type: 'string', default: '0.9.x' },
    'tms-api-key': { type: 'string' },
    'single-tenant': { type: 'boolean', default: false },
    'tms-port': { type: 'string', default: '0' },
    'tracardi-port': { type: 'string', default: '0' },
    'index-shards': { type: 'string' },
    'conf-shards': { type: 'string' },
    replicas: { type: 'string' },
  },
});

const int = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer`);
  return n;
};

if (!values.es) fail('--es is required');
if (values.version !== '0.8.x' && values.version !== '0.9.x') fail('--version must be 0.8.x or 0.9.x');
const version: SimVersion = values.version;
const apiKey = values['tms-api-key'] ?? randomBytes(16).toString('hex');
const multiTenant = !values['single-tenant'];

const tms = multiTenant ? await startTms({ apiKey, port: int('tms-port', values['tms-port']) }) : null;
const tracardi = await startTracardi({
  version,
  esUrl: values.es,
  tmsUrl: tms?.url,
  tmsApiKey: apiKey,
  multiTenant,
  port: int('tracardi-port', values['tracardi-port']),
  indexShards: int('index-shards', values['index-shards']),
  confShards: int('conf-shards', values['conf-shards']),
  replicas: int('replicas', values.replicas),
});

process.stdout.write(
  `${JSON.stringify({ tracardiUrl: tracardi.url, tmsUrl: tms?.url ?? null, tmsApiKey: tms ? apiKey : null, version, tracardiVersion: tracardi.profile.version, multiTenant })}\n`,
);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await Promise.all([tracardi.stop(), tms?.stop()]);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
