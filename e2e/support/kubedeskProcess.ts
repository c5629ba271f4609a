import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

// Runs the real `kubedesk` command line from this checkout, as a user would.

export const repoRoot = join(import.meta.dirname, '..', '..');
export const kubedeskBin = join(repoRoot, 'bin', 'kubedesk.mjs');

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startServe(
  dataDir: string,
  options: {
    timeoutMs?: number;
    env?: NodeJS.ProcessEnv;
    args?: string[];
    /** Options for node itself, e.g. `--cpu-prof` (which NODE_OPTIONS refuses). */
    nodeArgs?: string[];
  } = {},
): Promise<ServeProcess> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  // UI tests run simulated nodes unless they ask for real ones: fast, and nothing left in Docker.
  const args = options.args ?? ['--nodes', '0', '--simulated-nodes', '3'];
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), kubedeskBin, 'serve', '--data-dir', dataDir, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The cluster's context is merged into this kubeconfig, never into the tester's own.
      env: { ...process.env, KUBECONFIG: join(dataDir, 'user-kubeconfig'), ...options.env },
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`kubedesk serve printed no URL in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubedesk serve exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
