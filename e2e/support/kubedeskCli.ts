import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDockerProvider } from '../../cluster/provisioner/providers/dockerProvider';
import { type KubectlSession, watchSession } from './kubectlSessions';
import { kubedeskBin } from './kubedeskProcess';

// Runs `kubedesk <command>` for one installation, the way a user types it.

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const cliEnv = (dataDir: string) => ({ ...process.env, KUBECONFIG: join(dataDir, 'user-kubeconfig') });

export function kubedeskCli(dataDir: string) {
  return (args: string[], timeoutMs = 120_000) =>
    new Promise<CliResult>((resolve) => {
      execFile(
        process.execPath,
        [kubedeskBin, ...args, '--data-dir', dataDir],
        { timeout: timeoutMs, env: cliEnv(dataDir) },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
}

/** Starts a `kubedesk` command that keeps running (port-forward, logs -f). */
export function startKubedesk(dataDir: string, args: string[]): KubectlSession {
  const child = spawn(process.execPath, [kubedeskBin, ...args, '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: cliEnv(dataDir),
  });
  return watchSession(child, `kubedesk ${args.join(' ')}`);
}

/**
 * Leaves nothing in Docker or on disk: deletes the installation's cluster (host, nodes, volumes,
 * network), the test images it imported, and its data dir.
 */
export async function deleteInstallation(dataDir: string, images: string[] = []): Promise<void> {
  await kubedeskCli(dataDir)(['delete']);
  const { docker } = createDockerProvider();
  for (const image of images)
    await docker
      .getImage(image)
      .remove({ force: true })
      .catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}
