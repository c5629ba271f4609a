// What the Job controller asks of a pod: is it active, terminating, finished, counted yet (the
// tracking finalizer), when did it finish, and which pods to remove first.

import type { V1Job, V1Pod } from '@kubernetes/client-node';

/** Kept on every Job pod until the controller has counted it, so counts survive pod deletion. */
export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';

export function hasTrackingFinalizer(pod: V1Pod): boolean {
  return pod.metadata?.finalizers?.includes(jobTrackingFinalizer) ?? false;
}

function isPodTerminal(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Neither finished nor being deleted, as controller.FilterActivePods. */
export function isPodActive(pod: V1Pod): boolean {
  return !isPodTerminal(pod) && !pod.metadata?.deletionTimestamp;
}

export function isPodTerminating(pod: V1Pod): boolean {
  return !isPodTerminal(pod) && pod.metadata?.deletionTimestamp !== undefined;
}

export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** podReplacementPolicy Failed: terminating pods are replaced only once they have failed. */
export function onlyReplaceFailedPods(job: V1Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed';
}

/** A failed pod, or (unless only failed pods are replaced) one deleted before it succeeded. */
export function isPodFailed(pod: V1Pod, job: V1Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return pod.metadata?.deletionTimestamp !== undefined && pod.status?.phase !== 'Succeeded';
}

function time(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * When the pod finished: its containers' latest finish, else its Ready=False transition, else
 * its deletion time less the grace period, else its creation (backoff_utils.go getFinishedTime).
 */
export function podFinishedTime(pod: V1Pod): number {
  const statuses = pod.status?.containerStatuses ?? [];
  let latest: number | undefined;
  for (const status of statuses) {
    const finished = time(status.state?.terminated?.finishedAt);
    if (finished === undefined) {
      latest = undefined;
      break;
    }
    latest = Math.max(latest ?? finished, finished);
  }
  if (latest !== undefined) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const readyFalse = ready?.status === 'False' ? time(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  const deleted = time(pod.metadata?.deletionTimestamp);
  if (deleted !== undefined) return deleted - (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
  return time(pod.metadata?.creationTimestamp) ?? 0;
}

/** Container restarts of running and pending pods, which count as failures for OnFailure Jobs. */
export function restartsOfUnfinishedPods(pods: readonly V1Pod[]): number {
  let restarts = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const s of [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ]) {
      restarts += s.restartCount ?? 0;
    }
  }
  return restarts;
}

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restartCount(pod: V1Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((max, s) => Math.max(max, s.restartCount ?? 0), 0);
}

/**
 * Orders pods so the cheapest to lose come first, as controller.ActivePods: unscheduled before
 * scheduled, pending before running, not ready before ready, more restarts first, newer first.
 */
export function compareForRemoval(a: V1Pod, b: V1Pod): number {
  const scheduled = Number(Boolean(a.spec?.nodeName)) - Number(Boolean(b.spec?.nodeName));
  if (scheduled !== 0) return scheduled;
  const phase = (phaseRank[a.status?.phase ?? ''] ?? 0) - (phaseRank[b.status?.phase ?? ''] ?? 0);
  if (phase !== 0) return phase;
  const ready = Number(isPodReady(a)) - Number(isPodReady(b));
  if (ready !== 0) return ready;
  const restarts = restartCount(b) - restartCount(a);
  if (restarts !== 0) return restarts;
  return (time(b.metadata?.creationTimestamp) ?? 0) - (time(a.metadata?.creationTimestamp) ?? 0);
}
