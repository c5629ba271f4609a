// Counts finished pods exactly once, even when they are deleted meanwhile: a finished pod's UID
// first goes into `status.uncountedTerminatedPods` (saved), then its tracking finalizer is
// removed, then the UID moves into the succeeded/failed counters. Finally the terminal condition
// is written once nothing is uncounted or still terminating, as trackJobStatusAndRemoveFinalizers
// does. https://kubernetes.io/docs/concepts/workloads/controllers/job/#job-tracking-with-finalizers

import type { V1Job, V1JobCondition, V1Pod } from '@kubernetes/client-node';
import { isNotFound } from '../runtime/clusterClient';
import { completionIndexOf, formatIndexes } from './completionIndexes';
import { newJobCondition } from './jobConditions';
import { hasTrackingFinalizer, isPodFailed, jobTrackingFinalizer } from './jobPods';
import type { JobSyncDeps, JobSyncState } from './jobSyncState';

/** Keeps `uncountedTerminatedPods` small (about 20 KB) and one sync from starving others. */
const maxUncountedPods = 500;

function isIndexed(job: V1Job): boolean {
  return job.spec?.completionMode === 'Indexed';
}

/** Moves uncounted UIDs whose pods no longer hold the finalizer into the counters. */
function countReleasedPods(job: V1Job, withFinalizer: ReadonlySet<string>): boolean {
  const status = job.status ?? {};
  const uncounted = status.uncountedTerminatedPods ?? {};
  const succeeded = (uncounted.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  const failed = (uncounted.failed ?? []).filter((uid) => withFinalizer.has(uid));
  const countedSucceeded = (uncounted.succeeded?.length ?? 0) - succeeded.length;
  const countedFailed = (uncounted.failed?.length ?? 0) - failed.length;
  if (countedSucceeded === 0 && countedFailed === 0) return false;
  status.succeeded = (status.succeeded ?? 0) + countedSucceeded;
  status.failed = (status.failed ?? 0) + countedFailed;
  status.uncountedTerminatedPods = {
    ...(succeeded.length > 0 ? { succeeded } : {}),
    ...(failed.length > 0 ? { failed } : {}),
  };
  job.status = status;
  return true;
}

/** Whether the pod's finalizer may go now: it is finished or deleted, or the whole Job is ending. */
function canRemoveFinalizer(state: JobSyncState, pod: V1Pod, consideredFailed: boolean): boolean {
  return (
    state.job.metadata?.deletionTimestamp !== undefined ||
    state.finished !== undefined ||
    pod.status?.phase === 'Succeeded' ||
    consideredFailed
  );
}

async function removeFinalizers(
  deps: JobSyncDeps,
  state: JobSyncState,
  pods: V1Pod[],
): Promise<{ removed: string[]; error?: unknown }> {
  const uids = pods.map((p) => p.metadata?.uid ?? '');
  deps.finalizerExpectations.expectRemovals(state.key, uids);
  const results = await Promise.allSettled(
    pods.map((pod) =>
      deps.pods.mutate(pod.metadata?.namespace, pod.metadata?.name ?? '', (live) => {
        if (live.metadata?.uid !== pod.metadata?.uid || !hasTrackingFinalizer(live)) return undefined;
        live.metadata = {
          ...live.metadata,
          finalizers: (live.metadata?.finalizers ?? []).filter((f) => f !== jobTrackingFinalizer),
        };
        return live;
      }),
    ),
  );
  const out: { removed: string[]; error?: unknown } = { removed: [] };
  results.forEach((result, i) => {
    const uid = uids[i] as string;
    if (result.status === 'fulfilled' || isNotFound(result.reason)) {
      out.removed.push(uid);
      return;
    }
    // No update will show this removal.
    deps.finalizerExpectations.removalObserved(state.key, uid);
    out.error ??= result.reason;
  });
  return out;
}

/** Adds the terminal condition once every pod is counted and none is terminating. */
function enactJobFinished(state: JobSyncState): boolean {
  const { job, finished } = state;
  if (!finished) return false;
  const uncounted = job.status?.uncountedTerminatedPods;
  if ((uncounted?.succeeded?.length ?? 0) + (uncounted?.failed?.length ?? 0) > 0) return false;
  if (state.terminating > 0) return false;
  const status = job.status ?? {};
  const conditions = (status.conditions ?? []).filter((c) => c.type !== finished.type);
  status.conditions = [...conditions, finished];
  if (finished.type === 'Complete') status.completionTime = finished.lastTransitionTime;
  job.status = status;
  return true;
}

function recordJobFinished(deps: JobSyncDeps, job: V1Job, finished: V1JobCondition): void {
  if (finished.type !== 'Complete') {
    deps.recorder.event(job, 'Warning', finished.reason ?? '', finished.message ?? '');
    return;
  }
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null && (job.status?.succeeded ?? 0) > completions) {
    deps.recorder.event(
      job,
      'Warning',
      'TooManySucceededPods',
      'Too many succeeded pods running after completion count reached',
    );
  }
  deps.recorder.event(job, 'Normal', 'Completed', 'Job completed');
}

/** The counters Kubernetes omits when zero (`omitempty`); ready and terminating are always written. */
const omittedWhenZero = ['active', 'succeeded', 'failed'] as const;

async function writeStatus(deps: JobSyncDeps, state: JobSyncState): Promise<void> {
  const status = state.job.status ?? {};
  for (const field of omittedWhenZero) if (!status[field]) delete status[field];
  state.job = await deps.jobs.updateStatus(state.job);
}

/**
 * Records newly finished pods, releases their finalizers, counts them and, when the Job is done,
 * writes its terminal condition. `needsWrite` says the caller changed status already.
 */
export async function trackJobStatus(
  deps: JobSyncDeps,
  state: JobSyncState,
  needsWrite: boolean,
): Promise<void> {
  const { pods, expectedRemovals, uncounted } = state;
  const indexed = isIndexed(state.job);
  const completions = state.job.spec?.completions ?? 0;
  const ordered = indexed
    ? [...pods].sort((a, b) => (completionIndexOf(a) ?? -1) - (completionIndexOf(b) ?? -1))
    : pods;
  const withFinalizer = new Set(
    pods
      .filter((p) => hasTrackingFinalizer(p) && !expectedRemovals.has(p.metadata?.uid ?? ''))
      .map((p) => p.metadata?.uid ?? ''),
  );
  let flush = countReleasedPods(state.job, withFinalizer) || needsWrite;
  const status = state.job.status ?? {};
  const pending = {
    succeeded: [...(status.uncountedTerminatedPods?.succeeded ?? [])],
    failed: [...(status.uncountedTerminatedPods?.failed ?? [])],
  };
  const toRelease: V1Pod[] = [];
  const newSucceededIndexes: number[] = [];
  let reachedMax = false;
  for (const pod of ordered) {
    const uid = pod.metadata?.uid ?? '';
    if (!hasTrackingFinalizer(pod) || expectedRemovals.has(uid)) continue;
    const consideredFailed = isPodFailed(pod, state.job);
    if (!canRemoveFinalizer(state, pod, consideredFailed)) continue;
    toRelease.push(pod);
    const index = completionIndexOf(pod);
    const validIndex = index !== undefined && index < completions;
    if (pod.status?.phase === 'Succeeded' && !uncounted.failed.has(uid)) {
      if (indexed) {
        if (validIndex && !state.prevSucceededIndexes.has(index)) {
          newSucceededIndexes.push(index);
          flush = true;
        }
      } else if (!uncounted.succeeded.has(uid)) {
        pending.succeeded.push(uid);
        flush = true;
      }
    } else if (consideredFailed || (state.finished && state.finished.type !== 'SuccessCriteriaMet')) {
      // Once the Job is failing, every pod that has not succeeded counts as failed.
      if (!uncounted.failed.has(uid) && (!indexed || validIndex)) {
        pending.failed.push(uid);
        flush = true;
      }
    }
    if (newSucceededIndexes.length + pending.succeeded.length + pending.failed.length >= maxUncountedPods) {
      reachedMax = true;
      break;
    }
  }
  status.uncountedTerminatedPods = {
    ...(pending.succeeded.length > 0 ? { succeeded: pending.succeeded } : {}),
    ...(pending.failed.length > 0 ? { failed: pending.failed } : {}),
  };
  if (indexed) {
    for (const index of newSucceededIndexes) state.succeededIndexes.add(index);
    const text = formatIndexes(state.succeededIndexes);
    if (text !== (status.completedIndexes ?? '')) flush = true;
    status.completedIndexes = text;
    status.succeeded = state.succeededIndexes.size;
  }
  state.job.status = status;

  // The interim condition is saved before finalizers go; the terminal one is prepared for later.
  const now = deps.clock.now();
  const finished = state.finished;
  if (finished?.type === 'FailureTarget') {
    status.conditions = [...(status.conditions ?? []), finished];
    flush = true;
    state.finished = newJobCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', now);
  } else if (finished?.type === 'SuccessCriteriaMet') {
    if (!status.conditions?.some((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True')) {
      status.conditions = [...(status.conditions ?? []), finished];
      flush = true;
    }
    state.finished = newJobCondition('Complete', 'True', finished.reason ?? '', finished.message ?? '', now);
  }

  if (flush) {
    await writeStatus(deps, state);
    deps.backoffs.set(state.key, state.backoff);
    flush = false;
  }
  let releaseError: unknown;
  if (toRelease.length > 0) {
    const { removed, error } = await removeFinalizers(deps, state, toRelease);
    for (const uid of removed) withFinalizer.delete(uid);
    releaseError = error;
  }
  flush = countReleasedPods(state.job, withFinalizer);
  if (releaseError) {
    if (flush) await writeStatus(deps, state);
    throw releaseError;
  }
  const jobFinished = !reachedMax && enactJobFinished(state);
  if (!flush && !jobFinished) return;
  await writeStatus(deps, state);
  if (jobFinished && state.finished) recordJobFinished(deps, state.job, state.finished);
}
