// Pure readings of a pod's state that the workload controllers share, as Kubernetes' podutil and
// controller helpers define them (IsPodReady, IsPodAvailable, IsPodActive, IsPodTerminating).
// https://github.com/kubernetes/kubernetes/blob/master/pkg/api/v1/pod/util.go

import type { V1Pod, V1PodCondition } from '@kubernetes/client-node';

export function podReadyCondition(pod: V1Pod): V1PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: V1Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

function finished(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Counts toward a controller's replicas: not finished and not being deleted. */
export function isPodActive(pod: V1Pod): boolean {
  return !finished(pod) && !pod.metadata?.deletionTimestamp;
}

/** Being deleted but still running (status.terminatingReplicas). */
export function isPodTerminating(pod: V1Pod): boolean {
  return !finished(pod) && Boolean(pod.metadata?.deletionTimestamp);
}

/** When the pod last became Ready, or undefined when it is not Ready. */
export function podReadySince(pod: V1Pod): Date | undefined {
  const ready = podReadyCondition(pod);
  if (ready?.status !== 'True' || !ready.lastTransitionTime) return undefined;
  return new Date(ready.lastTransitionTime);
}

/** Ready for at least `minReadySeconds` (strictly longer, as Kubernetes compares with Before). */
export function isPodAvailable(pod: V1Pod, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since.getTime() + minReadySeconds * 1000 < now.getTime();
}

/** Milliseconds until a Ready pod becomes available, 0 when it already is, undefined when not Ready. */
export function msUntilAvailable(pod: V1Pod, minReadySeconds: number, now: Date): number | undefined {
  const since = podReadySince(pod);
  if (since === undefined) return isPodReady(pod) && minReadySeconds <= 0 ? 0 : undefined;
  return Math.max(0, since.getTime() + minReadySeconds * 1000 + 1 - now.getTime());
}
