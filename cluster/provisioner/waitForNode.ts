import { setTimeout as sleep } from 'node:timers/promises';
import { isConflict } from './providers/engineErrors';
import type { NodeHandle, NodeProvider } from './providers/nodeProvider';

const versionArgv = ['docker', 'version', '--format', '{{.Server.Version}}'];

export interface WaitOptions {
  intervalMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Polls until the node's own dockerd answers; a timeout is an error naming the node and the last answer. */
export async function waitForNodeDockerd(
  provider: NodeProvider,
  node: NodeHandle,
  options: WaitOptions = {},
) {
  const { intervalMs = 100, timeoutMs = 60_000, signal } = options;
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    signal?.throwIfAborted();
    const result = await provider.exec(node, versionArgv, { signal }).catch(async (err: unknown) => {
      // 409: the node container is not running any more; its own output says why.
      if (!isConflict(err)) throw err;
      const logs = await provider.nodeLogs(node, 20).catch(() => '');
      throw new Error(`node ${node.name} stopped while starting${logs ? `:\n${logs}` : ''}`, { cause: err });
    });
    if (result.exitCode === 0) return result.stdout.trim();
    last = (result.stderr || result.stdout).trim().split('\n').slice(-1)[0] ?? '';
    if (Date.now() >= deadline) {
      throw new Error(
        `dockerd in node ${node.name} did not answer within ${timeoutMs / 1000} s${last ? `: ${last}` : ''}`,
      );
    }
    await sleep(intervalMs, undefined, { signal });
  }
}
