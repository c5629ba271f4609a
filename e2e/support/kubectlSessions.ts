import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Pod } from '@kubernetes/client-node';
import { type Kubectl, kubectlOk } from '../../cluster/api/testing/kubectlRunner';
import { kubectlPath } from '../../cluster/api/testing/kubeTools';
import { spawnPty } from '../../main/host/terminal/hostShell';

// What end-to-end tests against real nodes do with the real kubectl beyond one-shot commands:
// read objects as JSON, wait for a state, keep a command running (logs -f, port-forward) and run
// one in a pseudo-terminal (exec -it).

export async function kubectlJson<T>(kubectl: Kubectl, args: string[]): Promise<T> {
  const result = await kubectl([...args, '-o', 'json']);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** `kubectl apply -f -` of a manifest, failing with kubectl's error. */
export async function kubectlApply(kubectl: Kubectl, manifest: string): Promise<void> {
  await kubectlOk(kubectl, ['apply', '-f', '-'], { input: manifest });
}

/** Runs a shell script in a pod's first container and resolves its output. */
export async function inPod(
  kubectl: Kubectl,
  pod: string,
  script: string,
  options: { namespace?: string; timeoutMs?: number } = {},
): Promise<string> {
  const namespace = options.namespace ?? 'default';
  const result = await kubectl(['exec', '-n', namespace, pod, '--', 'sh', '-c', script], {
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  if (result.code !== 0) throw new Error(`in ${pod}: ${script}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Ready as a Service sees it: not terminating, with the Ready condition True. */
export const isReadyPod = (pod: V1Pod) =>
  !pod.metadata?.deletionTimestamp &&
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Polls `probe` until it returns a value; its last error is part of the timeout's message. */
export async function until<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export interface KubectlSession {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr. */
  output(): string;
  /** Resolves once the output matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Starts a kubectl command that keeps running. */
export function startKubectl(kubeconfig: string, home: string, args: string[]): KubectlSession {
  const child = spawn(kubectlPath(), ['--kubeconfig', kubeconfig, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watchSession(child, `kubectl ${args.join(' ')}`);
}

/** Collects a long-running command's output so a test can wait for what it prints, and stop it. */
export function watchSession(child: ChildProcess, command: string): KubectlSession {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return {
    child,
    output: () => text,
    waitFor: (pattern, timeoutMs = 30_000) =>
      until(
        async () => {
          const match = pattern.exec(text);
          if (match) return match;
          if (child.exitCode !== null) throw new Error(`${command} exited: ${text}`);
          return undefined;
        },
        `${command} to print ${pattern}`,
        timeoutMs,
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Runs kubectl in a pseudo-terminal (as `exec -it` needs), resolving its exit code and output. */
export function kubectlInPty(
  kubeconfig: string,
  home: string,
  args: string[],
  timeoutMs = 30_000,
): Promise<{ exitCode: number; output: string }> {
  const term = spawnPty(kubectlPath(), ['--kubeconfig', kubeconfig, ...args], {
    cols: 100,
    rows: 30,
    cwd: home,
    env: { PATH: process.env.PATH ?? '', HOME: home, TERM: 'xterm-256color' },
  });
  const chunks: Buffer[] = [];
  term.onData((data) => chunks.push(Buffer.from(data)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      term.kill();
      reject(new Error(`kubectl ${args.join(' ')} in a terminal did not end: ${Buffer.concat(chunks)}`));
    }, timeoutMs);
    term.onExit(({ exitCode }) => {
      clearTimeout(timer);
      resolve({ exitCode, output: Buffer.concat(chunks).toString() });
    });
  });
}
