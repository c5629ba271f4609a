import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { kubedeskBin } from './kubedeskProcess';

// Runs `kubedesk <command>` for one installation, the way a user types it.

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubedeskCli(dataDir: string) {
  return (args: string[], timeoutMs = 120_000) =>
    new Promise<CliResult>((resolve) => {
      execFile(
        process.execPath,
        [kubedeskBin, ...args, '--data-dir', dataDir],
        { timeout: timeoutMs, env: { ...process.env, KUBECONFIG: join(dataDir, 'user-kubeconfig') } },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
}
