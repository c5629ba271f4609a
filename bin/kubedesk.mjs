#!/usr/bin/env node
// Runs the TypeScript command line straight from the checkout.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cluster/cli.ts');
const code = await main(process.argv);
if (code !== 0) process.exit(code);
