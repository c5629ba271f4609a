// What a DaemonSet sync should do, decided without side effects, after Kubernetes' daemon
// controller: `placement` puts one pod on every eligible node and removes pods from nodes that no
// longer want one (or are gone), failed pods and surplus ones; `rollingUpdate` replaces pods of
// older revisions within maxUnavailable, or surges new pods within maxSurge; `daemonSetStatus`
// counts what `kubectl rollout status ds` reads.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller.go
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/update.go

import type { IntOrString, V1DaemonSet, V1DaemonSetStatus, V1Node, V1Pod } from '@kubernetes/client-node';
import { isPodAvailable, isPodReady } from '../replicaSet/podState';
import { daemonRevisionLabel } from './daemonPods';
import { nodeShouldRunDaemonPod } from './nodeEligibility';

/** The DaemonSet's pods by the node they are on or pinned to. */
export type PodsByNode = ReadonlyMap<string, readonly V1Pod[]>;

export interface DaemonSetActions {
  /** Nodes that get a new pod. */
  create: string[];
  delete: V1Pod[];
  /** Failed pods among `delete`, for the FailedDaemonPod event. */
  failed: V1Pod[];
}

function created(pod: V1Pod): number {
  const at = pod.metadata?.creationTimestamp as unknown as string | undefined;
  return at ? Date.parse(at) : 0;
}

/** `podByCreationTimestampAndPhase`: scheduled pods first, then oldest, then by name. */
export function oldestFirst(a: V1Pod, b: V1Pod): number {
  const aBound = Boolean(a.spec?.nodeName);
  const bBound = Boolean(b.spec?.nodeName);
  if (aBound !== bBound) return aBound ? -1 : 1;
  const byTime = created(a) - created(b);
  if (byTime !== 0) return byTime;
  const an = a.metadata?.name ?? '';
  const bn = b.metadata?.name ?? '';
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** `GetScaledValueFromIntOrPercent` rounding up, as the daemon controller uses it. */
export function scaledCount(value: IntOrString | undefined, total: number): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const percent = Number.parseInt(value.replace(/%$/, ''), 10);
  return Number.isFinite(percent) ? Math.ceil((percent * total) / 100) : 0;
}

export function allowsSurge(ds: V1DaemonSet): boolean {
  const strategy = ds.spec?.updateStrategy;
  return strategy?.type !== 'OnDelete' && scaledCount(strategy?.rollingUpdate?.maxSurge, 1) > 0;
}

export function isPodUpdated(pod: V1Pod, hash: string): boolean {
  return hash !== '' && pod.metadata?.labels?.[daemonRevisionLabel] === hash;
}

function finished(pod: V1Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** `podsShouldBeOnNode` for every node, plus pods whose node is gone (`manage`). */
export function placement(
  ds: V1DaemonSet,
  nodes: readonly V1Node[],
  podsByNode: PodsByNode,
  hash: string,
  now: Date,
): DaemonSetActions {
  const actions: DaemonSetActions = { create: [], delete: [], failed: [] };
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const known = new Set<string>();
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    known.add(name);
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const pods = podsByNode.get(name) ?? [];
    const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
    if (shouldRun && pods.length === 0) {
      actions.create.push(name);
    } else if (shouldContinueRunning) {
      const running: V1Pod[] = [];
      for (const pod of live) {
        if (pod.status?.phase === 'Failed') actions.failed.push(pod);
        if (finished(pod)) actions.delete.push(pod);
        else running.push(pod);
      }
      if (running.length <= 1) continue;
      running.sort(oldestFirst);
      if (!allowsSurge(ds)) {
        actions.delete.push(...running.slice(1));
        continue;
      }
      // While surging, a node keeps at most the oldest new pod and, until that one is available,
      // the oldest old pod (only if it is still Ready).
      let oldestNew: V1Pod | undefined;
      let oldestOld: V1Pod | undefined;
      for (const pod of running) {
        if (isPodUpdated(pod, hash)) {
          if (!oldestNew) oldestNew = pod;
          else actions.delete.push(pod);
        } else if (!oldestOld) oldestOld = pod;
        else actions.delete.push(pod);
      }
      if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReady, now))) {
        actions.delete.push(oldestOld);
      }
    } else {
      actions.delete.push(...live);
    }
  }
  // Kubernetes leaves pods bound to a deleted node to the pod garbage collector; we remove them
  // here too, so a node going away takes its daemon pods with it.
  for (const [name, pods] of podsByNode) {
    if (!known.has(name)) actions.delete.push(...pods.filter((p) => !p.metadata?.deletionTimestamp));
  }
  actions.failed = actions.failed.filter((p) => actions.delete.includes(p));
  return actions;
}

/** `findUpdatedPodsOnNode`: the node's new and old pod, or undefined when it has more than one of either. */
function updatedAndOld(pods: readonly V1Pod[], hash: string): { updated?: V1Pod; old?: V1Pod } | undefined {
  let updated: V1Pod | undefined;
  let old: V1Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash)) {
      if (updated) return undefined;
      updated = pod;
    } else {
      if (old) return undefined;
      old = pod;
    }
  }
  return { ...(updated ? { updated } : {}), ...(old ? { old } : {}) };
}

/** `updatedDesiredNodeCounts`: maxSurge and maxUnavailable against the nodes that want a pod. */
export function rolloutBudget(ds: V1DaemonSet, nodes: readonly V1Node[]) {
  const desired = nodes.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun).length;
  const rolling = ds.spec?.updateStrategy?.rollingUpdate;
  let maxUnavailable = scaledCount(rolling?.maxUnavailable ?? 1, desired);
  const maxSurge = scaledCount(rolling?.maxSurge, desired);
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { desired, maxUnavailable, maxSurge };
}

/** `rollingUpdate`: old pods to delete and nodes to surge a new pod onto. */
export function rollingUpdate(
  ds: V1DaemonSet,
  nodes: readonly V1Node[],
  podsByNode: PodsByNode,
  hash: string,
  now: Date,
): { delete: V1Pod[]; create: string[] } {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (pod: V1Pod) => isPodAvailable(pod, minReady, now);
  const { desired, maxUnavailable, maxSurge } = rolloutBudget(ds, nodes);
  const byName = new Map(nodes.map((n) => [n.metadata?.name ?? '', n]));
  // Nodes that want a pod count even while they have none.
  const all = new Map<string, readonly V1Pod[]>(podsByNode);
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    if (!all.has(name) && nodeShouldRunDaemonPod(node, ds).shouldRun) all.set(name, []);
  }

  if (maxSurge === 0) {
    let unavailable = 0;
    const replacements: V1Pod[] = [];
    const candidates: V1Pod[] = [];
    for (const pods of all.values()) {
      const found = updatedAndOld(pods, hash);
      if (!found || (found.old === undefined) === (found.updated === undefined)) {
        unavailable++;
      } else if (found.updated) {
        if (!available(found.updated)) unavailable++;
      } else if (found.old) {
        if (!available(found.old)) replacements.push(found.old);
        else if (unavailable < maxUnavailable) candidates.push(found.old);
      }
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    return { delete: [...replacements, ...candidates.slice(0, room)], create: [] };
  }

  const toDelete: V1Pod[] = [];
  const sunsetting: V1Pod[] = [];
  const candidateNodes: string[] = [];
  const replacementNodes: string[] = [];
  let surging = 0;
  let availableCount = 0;
  for (const [name, pods] of all) {
    const found = updatedAndOld(pods, hash);
    if (!found) {
      surging++;
      continue;
    }
    const { updated, old } = found;
    if ((old && available(old)) || (!old && updated && available(updated))) availableCount++;
    if (!old) continue;
    const node = byName.get(name);
    const wanted = node !== undefined && nodeShouldRunDaemonPod(node, ds).shouldRun;
    if (!updated) {
      if (!available(old)) {
        if (!wanted) toDelete.push(old);
        else replacementNodes.push(name);
      } else if (!wanted) {
        sunsetting.push(old);
      } else if (surging < maxSurge) {
        candidateNodes.push(name);
      }
    } else if (!available(updated)) {
      surging++;
    } else {
      toDelete.push(old);
    }
  }
  // Old pods on nodes that no longer want one go only while enough pods elsewhere are available.
  const deletable = Math.min(Math.max(0, availableCount - desired), sunsetting.length);
  toDelete.push(...sunsetting.slice(0, deletable));
  const room = Math.min(Math.max(0, maxSurge - surging), candidateNodes.length);
  return { delete: toDelete, create: [...replacementNodes, ...candidateNodes.slice(0, room)] };
}

/** `updateDaemonSetStatus`'s counts; observedGeneration is the caller's to set. */
export function daemonSetStatus(
  ds: V1DaemonSet,
  nodes: readonly V1Node[],
  podsByNode: PodsByNode,
  hash: string,
  now: Date,
): V1DaemonSetStatus {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const status = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  for (const node of nodes) {
    const pods = [...(podsByNode.get(node.metadata?.name ?? '') ?? [])].sort(oldestFirst);
    const scheduled = pods.length > 0;
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (scheduled) status.numberMisscheduled++;
      continue;
    }
    status.desiredNumberScheduled++;
    const pod = pods[0];
    if (!pod) continue;
    status.currentNumberScheduled++;
    if (isPodReady(pod)) {
      status.numberReady++;
      if (isPodAvailable(pod, minReady, now)) status.numberAvailable++;
    }
    if (isPodUpdated(pod, hash)) status.updatedNumberScheduled++;
  }
  status.numberUnavailable = status.desiredNumberScheduled - status.numberAvailable;
  return status;
}
