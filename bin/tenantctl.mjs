#!/usr/bin/env node
// tenantctl: runs the TypeScript CLI (main/cli/index.ts) through tsx, from the repo or an install.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/index.ts');
await main();
