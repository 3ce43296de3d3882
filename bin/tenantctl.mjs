#!/usr/bin/env node
// tenantctl: runs the compiled CLI (out/main/cli.js, built from main/cli by `npm run build`, which
// scripts/setup.sh runs). Plain JavaScript at run time: no TypeScript compiler is loaded.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write(
    `tenantctl: not built (${fileURLToPath(cli)} is missing): run \`npm run build\` (or bash scripts/setup.sh) in the checkout.\n`,
  );
  process.exit(1);
}
const { main } = await import(cli.href);
await main();
