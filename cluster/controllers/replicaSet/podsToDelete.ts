// Which pods a ReplicaSet removes first when it has too many, in Kubernetes' order
// (controller.ActivePodsWithRanks): unscheduled before scheduled, Pending before Unknown before
// Running, not ready before ready, lower `controller.kubernetes.io/pod-deletion-cost` first, pods
// doubled up on a node with their siblings first, then the most recently ready, the most restarted,
// and the newest — with times compared on a log2 scale (LogarithmicScaleDown) and ties broken by UID.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_utils.go

import type { V1Pod } from '@kubernetes/client-node';
import { isPodActive, isPodReady, podReadySince } from './podState';

export const podDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

const phaseOrder: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** What the order looks at, read once per pod before sorting. */
interface Ranked {
  pod: V1Pod;
  uid: string;
  unscheduled: boolean;
  node: string;
  phase: number;
  ready: boolean;
  cost: number;
  /** Active sibling pods (same owning controller) on this pod's node, itself included. */
  rank: number;
  readySince: number | undefined;
  restarts: { regular: number; sidecar: number };
  created: number | undefined;
}

function deletionCost(pod: V1Pod): number {
  const value = pod.metadata?.annotations?.[podDeletionCostAnnotation];
  if (value === undefined || !/^[-+]?\d+$/.test(value.trim())) return 0;
  const n = Number(value);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

function maxRestarts(pod: V1Pod): { regular: number; sidecar: number } {
  let regular = 0;
  for (const c of pod.status?.containerStatuses ?? []) regular = Math.max(regular, c.restartCount ?? 0);
  const sidecars = new Set(
    (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name),
  );
  let sidecar = 0;
  for (const c of pod.status?.initContainerStatuses ?? []) {
    if (sidecars.has(c.name)) sidecar = Math.max(sidecar, c.restartCount ?? 0);
  }
  return { regular, sidecar };
}

function rank(pod: V1Pod, onNode: Map<string, number>): Ranked {
  const node = pod.spec?.nodeName ?? '';
  const created = pod.metadata?.creationTimestamp;
  return {
    pod,
    uid: pod.metadata?.uid ?? '',
    unscheduled: node === '',
    node,
    phase: phaseOrder[pod.status?.phase ?? ''] ?? 0,
    ready: isPodReady(pod),
    cost: deletionCost(pod),
    rank: onNode.get(node) ?? 0,
    readySince: podReadySince(pod)?.getTime(),
    restarts: maxRestarts(pod),
    created: created ? new Date(created).getTime() : undefined,
  };
}

/** floor(log2(age in ns)), or -1 for no age: times within the same power of two rank equal. */
function logRank(time: number, now: number): number {
  const ns = (now - time) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

/** Newer first; the empty (unknown) time first of all; same log2 bucket → by UID. */
function newerFirst(
  a: Ranked,
  b: Ranked,
  ta: number | undefined,
  tb: number | undefined,
  now: number,
): number {
  if (ta === undefined || tb === undefined) return ta !== undefined ? 1 : tb !== undefined ? -1 : 0;
  const diff = logRank(ta, now) - logRank(tb, now);
  if (diff !== 0) return diff;
  return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
}

function compare(a: Ranked, b: Ranked, now: number): number {
  if (a.node !== b.node && (a.unscheduled || b.unscheduled)) return a.unscheduled ? -1 : 1;
  if (a.phase !== b.phase) return a.phase - b.phase;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.cost !== b.cost) return a.cost - b.cost;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (a.ready && b.ready && a.readySince !== b.readySince) {
    const order = newerFirst(a, b, a.readySince, b.readySince, now);
    if (order !== 0) return order;
  }
  if (a.restarts.regular !== b.restarts.regular) return b.restarts.regular - a.restarts.regular;
  if (a.restarts.sidecar !== b.restarts.sidecar) return b.restarts.sidecar - a.restarts.sidecar;
  if (a.created !== b.created) return newerFirst(a, b, a.created, b.created, now);
  return 0;
}

/**
 * The `count` pods of `pods` to delete first. `related` are the active and inactive pods of every
 * ReplicaSet sharing this one's owner (a Deployment's old and new sets), used to spread survivors
 * across nodes.
 */
export function podsToDelete(
  pods: readonly V1Pod[],
  related: readonly V1Pod[],
  count: number,
  now: Date,
): V1Pod[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const pod of related) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => rank(pod, onNode));
  const at = now.getTime();
  ranked.sort((a, b) => compare(a, b, at));
  return ranked.slice(0, count).map((r) => r.pod);
}
