import { resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultDataDir } from '../dataDir';

// Options every command understands, read the same way everywhere.

export interface GlobalOptions {
  dataDir: string;
}

export function globalOptions(command: Command): GlobalOptions {
  const opts = command.optsWithGlobals<{ dataDir?: string }>();
  return { dataDir: resolve(opts.dataDir ?? defaultDataDir()) };
}
