import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Kubectl, kubectlRunner } from '../../cluster/api/testing/kubectlRunner';
import { until } from './kubectlSessions';

// Runs the real `kubedesk` command line from this checkout, as a user would.

export const repoRoot = join(import.meta.dirname, '..', '..');
export const kubedeskBin = join(repoRoot, 'bin', 'kubedesk.mjs');

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface ServeOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  args?: string[];
  /** Options for node itself, e.g. `--cpu-prof` (which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
}

export async function startServe(dataDir: string, options: ServeOptions = {}): Promise<ServeProcess> {
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

/**
 * `kubedesk serve` and the real kubectl for it, once its API server answers. Both run with `home`
 * (created here) as HOME, so neither reads the tester's own files.
 */
export async function startServeWithKubectl(
  dataDir: string,
  home: string,
  options: ServeOptions = {},
): Promise<{ serve: ServeProcess; kubectl: Kubectl }> {
  mkdirSync(home, { recursive: true });
  const serve = await startServe(dataDir, { ...options, env: { HOME: home, ...options.env } });
  const kubeconfig = join(dataDir, 'kubeconfig');
  const kubectl = kubectlRunner(kubeconfig, home);
  await stopOnFailure(serve, () =>
    until(
      async () =>
        existsSync(kubeconfig) && (await kubectl(['get', 'ns', 'default'])).code === 0 ? true : undefined,
      'the API server',
      60_000,
    ),
  );
  return { serve, kubectl };
}

/** Runs a setup step after `serve` started; on failure stops it, as no caller holds it yet. */
export async function stopOnFailure<T>(serve: ServeProcess, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    await serve.stop();
    throw err;
  }
}
