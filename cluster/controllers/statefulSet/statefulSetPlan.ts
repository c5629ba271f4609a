// What one StatefulSet sync should do, decided without side effects, after Kubernetes'
// updateStatefulSet: replace failed pods, create missing ordinals (with their claims), delete
// ordinals above the range from the highest down, then roll pods to the update revision from the
// highest ordinal down to the partition. With OrderedReady the plan stops at the first step that
// must wait (a pod not yet Running and Ready, one terminating) or act; Parallel does all at once.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/statefulset/stateful_set_control.go

import type {
  V1PersistentVolumeClaim,
  V1Pod,
  V1StatefulSet,
  V1StatefulSetStatus,
} from '@kubernetes/client-node';
import { isPodAvailable, isPodReady } from '../replicaSet/podState';
import { claimIsStale, claimOwnersUpToDate } from './claimRetention';
import {
  claimsForOrdinal,
  identityMatches,
  inOrdinalRange,
  newStatefulSetPod,
  ordinalOf,
  podRevision,
  startOrdinal,
  storageMatches,
} from './statefulSetPods';

export type StatefulSetStep =
  /** Create the pod's missing claims, then the pod. */
  | { kind: 'createPod'; pod: V1Pod }
  | { kind: 'deletePod'; pod: V1Pod }
  /** Create claims a pending pod is missing (someone deleted them). */
  | { kind: 'createClaims'; pod: V1Pod }
  /** Restore the pod's identity labels and its claims' retention owners. */
  | { kind: 'updatePod'; pod: V1Pod }
  /** Set the retention owners on a condemned pod's claims before it goes. */
  | { kind: 'updateClaimOwners'; pod: V1Pod };

export interface StatefulSetPlanInput {
  set: V1StatefulSet;
  /** The set with the current revision's template. */
  currentSet: V1StatefulSet;
  /** The set with the update revision's template. */
  updateSet: V1StatefulSet;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
  /** Pods the set owns. */
  pods: readonly V1Pod[];
  /** Claims in the set's namespace, by name. */
  claim(name: string): V1PersistentVolumeClaim | undefined;
  now: Date;
}

export interface StatefulSetPlan {
  steps: StatefulSetStep[];
  status: V1StatefulSetStatus;
}

function isRunningAndReady(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

function isTerminating(pod: V1Pod): boolean {
  return Boolean(pod.metadata?.deletionTimestamp);
}

function isCreated(pod: V1Pod): boolean {
  return Boolean(pod.status?.phase);
}

function isAvailable(pod: V1Pod, minReadySeconds: number, now: Date): boolean {
  return isRunningAndReady(pod) && isPodAvailable(pod, minReadySeconds, now);
}

function isUnavailable(pod: V1Pod, minReadySeconds: number, now: Date): boolean {
  return isTerminating(pod) || !isAvailable(pod, minReadySeconds, now);
}

/** Pod counts for the status, over the pods that exist. */
export function replicaCounts(
  pods: readonly V1Pod[],
  minReadySeconds: number,
  now: Date,
  currentRevision: string,
  updateRevision: string,
): Pick<
  V1StatefulSetStatus,
  'replicas' | 'readyReplicas' | 'availableReplicas' | 'currentReplicas' | 'updatedReplicas'
> {
  const counts = {
    replicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
  };
  for (const pod of pods) {
    if (isCreated(pod)) counts.replicas++;
    if (isRunningAndReady(pod)) {
      counts.readyReplicas++;
      if (isPodAvailable(pod, minReadySeconds, now)) counts.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const revision = podRevision(pod);
      if (revision === currentRevision) counts.currentReplicas++;
      if (revision === updateRevision) counts.updatedReplicas++;
    }
  }
  return counts;
}

/** `getStatefulSetMaxUnavailable`: an int or a percentage of replicas rounded down, at least 1. */
export function maxUnavailableOf(set: V1StatefulSet, replicas: number): number {
  const value = set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  const scaled =
    typeof value === 'number' ? value : Math.floor((Number.parseInt(value, 10) * replicas) / 100);
  return Math.max(1, Number.isFinite(scaled) ? scaled : 1);
}

/** The pod a missing ordinal gets: the current revision below the partition, else the update one. */
function versionedPod(input: StatefulSetPlanInput, ordinal: number): V1Pod {
  const { currentSet, updateSet } = input;
  const strategy = currentSet.spec?.updateStrategy;
  if (strategy?.type === 'RollingUpdate' || strategy?.type === undefined) {
    const boundary =
      strategy?.rollingUpdate === undefined
        ? startOrdinal(currentSet) + (currentSet.status?.currentReplicas ?? 0)
        : startOrdinal(currentSet) + (strategy.rollingUpdate.partition ?? 0);
    if (ordinal < boundary) return newStatefulSetPod(currentSet, ordinal, input.currentRevision);
  }
  return newStatefulSetPod(updateSet, ordinal, input.updateRevision);
}

function byOrdinalDescending(a: V1Pod, b: V1Pod): number {
  return ordinalOf(b) - ordinalOf(a);
}

export function planStatefulSet(input: StatefulSetPlanInput): StatefulSetPlan {
  const { set, updateSet, now } = input;
  const minReady = set.spec?.minReadySeconds ?? 0;
  const replicaCount = set.spec?.replicas ?? 1;
  const start = startOrdinal(set);
  const status: V1StatefulSetStatus = {
    ...(set.status?.conditions ? { conditions: set.status.conditions } : {}),
    observedGeneration: set.metadata?.generation,
    currentRevision: input.currentRevision,
    updateRevision: input.updateRevision,
    collisionCount: input.collisionCount,
    replicas: 0,
  };

  const replicas: V1Pod[] = [];
  const condemned: V1Pod[] = [];
  for (const pod of input.pods) {
    if (inOrdinalRange(set, pod)) replicas[ordinalOf(pod) - start] = pod;
    else if (ordinalOf(pod) >= 0) condemned.push(pod);
  }
  for (let i = 0; i < replicaCount; i++) replicas[i] ??= versionedPod(input, start + i);
  condemned.sort(byOrdinalDescending);

  const steps: StatefulSetStep[] = [];
  const finish = (): StatefulSetPlan => {
    Object.assign(
      status,
      replicaCounts([...replicas, ...condemned], minReady, now, input.currentRevision, input.updateRevision),
    );
    return { steps, status };
  };
  if (set.metadata?.deletionTimestamp) return finish();

  const firstUnavailable =
    replicas.find((p) => isUnavailable(p, minReady, now)) ??
    [...condemned].reverse().find((p) => isUnavailable(p, minReady, now));
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const claimsOf = (pod: V1Pod) =>
    claimsForOrdinal(set, ordinalOf(pod)).map((c) => input.claim(c.metadata?.name ?? ''));
  const retentionMatches = (pod: V1Pod) =>
    claimsOf(pod).every((c) => c === undefined || claimOwnersUpToDate(c, updateSet, pod));

  // Returns true when, in OrderedReady, nothing after this replica may happen in this sync.
  const processReplica = (pod: V1Pod): boolean => {
    const phase = pod.status?.phase;
    if (phase === 'Failed' || phase === 'Succeeded') {
      // Replaced by a new pod on a later sync, once this one is gone.
      if (!isTerminating(pod)) steps.push({ kind: 'deletePod', pod });
      return true;
    }
    if (!isCreated(pod)) {
      if (claimsOf(pod).some((c) => c !== undefined && claimIsStale(c, pod))) return true;
      steps.push({ kind: 'createPod', pod });
      return monotonic;
    }
    if (phase === 'Pending' && claimsOf(pod).some((c) => c === undefined)) {
      steps.push({ kind: 'createClaims', pod });
    }
    if (monotonic && (isTerminating(pod) || !isAvailable(pod, minReady, now))) return true;
    if (identityMatches(set, pod) && storageMatches(set, pod) && retentionMatches(pod)) return false;
    steps.push({ kind: 'updatePod', pod });
    return false;
  };
  for (const pod of replicas) {
    if (processReplica(pod) && monotonic) return finish();
  }

  for (const pod of condemned) {
    if (!retentionMatches(pod)) steps.push({ kind: 'updateClaimOwners', pod });
  }

  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return finish();
      continue;
    }
    if (monotonic && pod !== firstUnavailable && !isAvailable(pod, minReady, now)) return finish();
    steps.push({ kind: 'deletePod', pod });
    if (monotonic) return finish();
  }

  const plan = finish();
  const strategy = set.spec?.updateStrategy;
  if (strategy?.type === 'OnDelete') return plan;

  const maxUnavailable = maxUnavailableOf(set, replicaCount);
  const unavailable = replicas.filter((p) => isUnavailable(p, minReady, now)).length;
  if (unavailable > maxUnavailable) return plan;
  const partition = strategy?.rollingUpdate?.partition ?? 0;
  let budget = maxUnavailable - unavailable;
  for (let target = replicas.length - 1; target >= partition && budget > 0; target--) {
    const pod = replicas[target] as V1Pod;
    if (podRevision(pod) !== input.updateRevision && !isTerminating(pod)) {
      steps.push({ kind: 'deletePod', pod });
      status.currentReplicas = (status.currentReplicas ?? 0) - 1;
      budget--;
    }
  }
  return plan;
}

/**
 * `completeRollingUpdate`: once every replica is updated and ready, the update revision becomes
 * the current one.
 */
export function completeRollingUpdate(set: V1StatefulSet, status: V1StatefulSetStatus): V1StatefulSetStatus {
  const replicas = set.spec?.replicas ?? 1;
  const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (
    rolling &&
    status.updatedReplicas === replicas &&
    status.readyReplicas === replicas &&
    status.replicas === replicas
  ) {
    return { ...status, currentReplicas: status.updatedReplicas, currentRevision: status.updateRevision };
  }
  return status;
}

/** Whether the computed status differs from the stored one (`inconsistentStatus`). */
export function statusChanged(set: V1StatefulSet, status: V1StatefulSetStatus): boolean {
  const old = set.status ?? { replicas: 0 };
  return (
    (status.observedGeneration ?? 0) > (old.observedGeneration ?? 0) ||
    status.replicas !== (old.replicas ?? 0) ||
    (status.currentReplicas ?? 0) !== (old.currentReplicas ?? 0) ||
    (status.readyReplicas ?? 0) !== (old.readyReplicas ?? 0) ||
    (status.updatedReplicas ?? 0) !== (old.updatedReplicas ?? 0) ||
    (status.availableReplicas ?? 0) !== (old.availableReplicas ?? 0) ||
    status.currentRevision !== old.currentRevision ||
    status.updateRevision !== old.updateRevision ||
    (status.collisionCount ?? 0) !== (old.collisionCount ?? 0)
  );
}
