import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

// The node's iptables, through the same frontend the node's dockerd uses (iptables-nft on Debian
// and Alpine images), so our rules and Docker's share one ruleset.

const execFileAsync = promisify(execFile);

export interface Iptables {
  save(tables: string[]): Promise<string>;
  /** Applies `input` in one transaction without flushing what it does not name. */
  restore(input: string): Promise<void>;
}

export function systemIptables(): Iptables {
  return {
    async save(tables) {
      const outputs = await Promise.all(
        tables.map(async (table) => (await execFileAsync('iptables-save', ['-t', table])).stdout),
      );
      return outputs.join('\n');
    },
    restore(input) {
      return new Promise((resolve, reject) => {
        const child = spawn('iptables-restore', ['--noflush', '--wait'], {
          stdio: ['pipe', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.once('error', reject);
        child.once('exit', (code) => {
          if (code === 0) resolve();
          else reject(new Error(`iptables-restore exited with ${code}: ${stderr.trim()}`));
        });
        child.stdin.end(input);
      });
    },
  };
}
