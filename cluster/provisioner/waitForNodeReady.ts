import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Node } from '@kubernetes/client-node';

// Waits for a node's agent to report it Ready through the API server. A Ready condition left in the
// store from before a restart does not count: its heartbeat must be from this start or later.

export interface NodeReadyOptions {
  /** Heartbeats older than this (to the second, as the API stores them) are stale. */
  since: Date;
  timeoutMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

const readyCondition = (node: V1Node | undefined) =>
  node?.status?.conditions?.find((condition) => condition.type === 'Ready');

export function isFreshlyReady(node: V1Node | undefined, since: Date): boolean {
  const ready = readyCondition(node);
  if (ready?.status !== 'True' || !ready.lastHeartbeatTime) return false;
  const heartbeat = new Date(ready.lastHeartbeatTime).getTime();
  return heartbeat >= Math.floor(since.getTime() / 1000) * 1000;
}

/** Polls `readNode` (404 counts as not yet registered); a timeout names the node and its last condition. */
export async function waitForNodeReady(
  readNode: (name: string) => Promise<V1Node | undefined>,
  name: string,
  options: NodeReadyOptions,
): Promise<V1Node> {
  const { since, timeoutMs = 60_000, intervalMs = 200, signal } = options;
  const deadline = Date.now() + timeoutMs;
  let last: V1Node | undefined;
  for (;;) {
    signal?.throwIfAborted();
    last = await readNode(name);
    if (last && isFreshlyReady(last, since)) return last;
    if (Date.now() >= deadline) {
      const ready = readyCondition(last);
      const state = !last
        ? 'it never registered'
        : ready
          ? `Ready is ${ready.status}${ready.message ? ` (${ready.message})` : ''} since its last heartbeat`
          : 'it reports no Ready condition';
      throw new Error(`node ${name} was not Ready within ${timeoutMs / 1000} s: ${state}`);
    }
    await sleep(intervalMs, undefined, { signal });
  }
}
