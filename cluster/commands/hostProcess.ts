import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataPaths } from '../dataDir';
import { type HostState, isProcessAlive, readHostState } from '../host/hostState';
import { ensureHostBundle } from './hostBundle';

// Starting and stopping the background host process that `kubedesk start` leaves running.

/** V8's young generation is capped at 2 MB per semi-space (the default grows to 16) and the old
 * generation grows by 15 % between full collections: with 10,000 pods the host stays under 200 MB
 * resident. `--optimize-for-size` kept the heap smaller still, but its tiny young generation and
 * memory-reducing collections more than tripled the CPU time of a LIST of 10,000 pods (645 ms
 * against 189; bench/apiServer.bench.ts). */
const hostNodeFlags = ['--max-semi-space-size=2', '--heap-growing-percent=15'];

/** glibc gives each thread that allocates its own malloc arena, and arenas rarely hand memory back:
 * two instead of one per thread (Node runs about ten) kept the host 8-11 MB smaller with 10,000 pods,
 * at no measurable cost. https://sourceware.org/glibc/manual/latest/html_node/Memory-Allocation-Tunables.html */
const hostEnvironment = { MALLOC_ARENA_MAX: '2' };

/** Extra Node flags for the host, for profiling it where NODE_OPTIONS refuses them
 * (`KUBEDESK_HOST_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof"`). */
const extraNodeFlags = () => (process.env.KUBEDESK_HOST_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function logTail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/** Spawns `kubedesk host` detached, from the host bundle (built first when the sources changed),
 * with its output in `logs/host.out`. */
export async function spawnHost(
  dataDir: string,
  args: string[],
): Promise<{ pid: number; outputPath: string }> {
  const entry = await ensureHostBundle();
  const outputPath = join(dataPaths(dataDir).logs, 'host.out');
  mkdirSync(dataPaths(dataDir).logs, { recursive: true });
  const out = openSync(outputPath, 'a');
  const child = spawn(
    process.execPath,
    [...hostNodeFlags, ...extraNodeFlags(), entry, 'host', '--data-dir', dataDir, ...args],
    {
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...hostEnvironment, ...process.env },
    },
  );
  closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new Error('could not start the Kubedesk host process');
  return { pid: child.pid, outputPath };
}

/** Waits until the host's cluster is running, passing on each status seen; fails with its error or its last output. */
export async function waitForCluster(
  dataDir: string,
  spawned: { pid: number; outputPath: string },
  options: { timeoutMs: number; intervalMs?: number; onStatus?: (cluster: HostState['cluster']) => void },
): Promise<HostState> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    const state = readHostState(dataDir);
    if (state?.pid === spawned.pid) {
      options.onStatus?.(state.cluster);
      if (state.cluster.state === 'running') return state;
      if (state.cluster.state === 'error') throw new Error(state.cluster.message);
    }
    if (!isProcessAlive(spawned.pid)) {
      throw new Error(`the Kubedesk host exited while starting:\n${logTail(spawned.outputPath)}`);
    }
    await sleep(options.intervalMs ?? 100);
  }
  throw new Error(`the cluster was not ready after ${options.timeoutMs / 1000} s; see ${spawned.outputPath}`);
}

/** Asks the host to stop and waits for it to exit, killing it after `timeoutMs`. */
export async function stopHost(pid: number, options: { timeoutMs: number }): Promise<'stopped' | 'killed'> {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return 'stopped';
    await sleep(100);
  }
  process.kill(pid, 'SIGKILL');
  return 'killed';
}
