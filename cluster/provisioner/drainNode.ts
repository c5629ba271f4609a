import { setTimeout as sleep } from 'node:timers/promises';
import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';

// Empties a node the way `kubectl drain` does: mark it unschedulable, delete its pods (their
// controllers recreate them elsewhere) and wait for them to go. Pods whose node does not confirm the
// deletion in time are removed at once (grace period 0), as `kubectl delete --force` would.

export interface DrainOptions {
  timeoutMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

const status = (err: unknown) => (err as { code?: number }).code;
const isNotFound = (err: unknown) => status(err) === 404;
const ignoreNotFound = (err: unknown) => {
  if (!isNotFound(err)) throw err;
};

const podsOn = async (core: CoreV1Api, nodeName: string): Promise<V1Pod[]> =>
  (await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${nodeName}` })).items;

const deletePods = (core: CoreV1Api, pods: V1Pod[], gracePeriodSeconds?: number) =>
  Promise.all(
    pods.map((pod) =>
      core
        .deleteNamespacedPod({
          name: pod.metadata?.name ?? '',
          namespace: pod.metadata?.namespace ?? 'default',
          ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
        })
        .catch(ignoreNotFound),
    ),
  );

/** Marks the node unschedulable; retried when its heartbeat wins the race for the resourceVersion. */
export async function cordonNode(core: CoreV1Api, nodeName: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const node = await core.readNode({ name: nodeName }).catch((err) => {
      ignoreNotFound(err);
      return undefined;
    });
    if (!node || node.spec?.unschedulable) return;
    try {
      await core.replaceNode({
        name: nodeName,
        body: { ...node, spec: { ...node.spec, unschedulable: true } },
      });
      return;
    } catch (err) {
      if (status(err) !== 409 || attempt >= 5) throw err;
    }
  }
}

/** Returns how many pods were deleted from the node. */
export async function drainNode(
  core: CoreV1Api,
  nodeName: string,
  options: DrainOptions = {},
): Promise<number> {
  const { timeoutMs = 30_000, intervalMs = 250, signal } = options;
  await cordonNode(core, nodeName);
  const pods = await podsOn(core, nodeName);
  await deletePods(core, pods);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const left = await podsOn(core, nodeName);
    if (left.length === 0) break;
    if (Date.now() >= deadline) {
      await deletePods(core, left, 0);
      break;
    }
    await sleep(intervalMs, undefined, { signal });
  }
  return pods.length;
}

export async function deleteNodeObject(core: CoreV1Api, nodeName: string): Promise<void> {
  await core.deleteNode({ name: nodeName }).catch(ignoreNotFound);
}
