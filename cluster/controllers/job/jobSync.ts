// One sync of one Job, as the Job controller's syncJob: read the Job and its pods from the caches,
// count what finished, decide whether the Job has failed (back-off limit, deadline) or succeeded,
// create or delete pods, then write status through the finalizer-based tracking.
// https://kubernetes.io/docs/concepts/workloads/controllers/job/

import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { timestamp } from '../../api/rest/restContext';
import { controllerOf } from '../runtime/ownerReferences';
import { completionIndexOf, parseIndexes } from './completionIndexes';
import {
  backoffLimitExceeded,
  completionsReached,
  deadlineExceeded,
  ensureJobCondition,
  findJobCondition,
  isJobFinished,
  newJobCondition,
} from './jobConditions';
import {
  hasTrackingFinalizer,
  isPodActive,
  isPodFailed,
  isPodReady,
  isPodTerminating,
  restartsOfUnfinishedPods,
} from './jobPods';
import type { JobSyncDeps, JobSyncState } from './jobSyncState';
import { deleteActivePods, manageJob } from './manageJobPods';
import { trackJobStatus } from './trackJobStatus';

/** Pod informer index: pods by the uid of the Job that controls them. */
export const podsByJobUid = 'job-controller:job-uid';

export function jobUidOfPod(pod: V1Pod): string[] {
  const ref = controllerOf(pod);
  return ref?.kind === 'Job' && ref.apiVersion === 'batch/v1' ? [ref.uid] : [];
}

/** The `spec.managedBy` value this controller answers to; other values belong to other controllers. */
const jobControllerName = 'kubernetes.io/job-controller';

const defaultBackoffLimit = 6;

function startedAt(job: V1Job): number | undefined {
  const start = job.status?.startTime;
  return start === undefined ? undefined : new Date(start).getTime();
}

/** OnFailure Jobs fail once container restarts reach the back-off limit (any restart when it is 0). */
function pastBackoffLimitOnFailure(job: V1Job, pods: readonly V1Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  const restarts = restartsOfUnfinishedPods(pods);
  const limit = job.spec.backoffLimit ?? defaultBackoffLimit;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function deadlineOf(job: V1Job): number | undefined {
  const seconds = job.spec?.activeDeadlineSeconds;
  const start = startedAt(job);
  if (seconds === undefined || seconds === null || start === undefined || job.spec?.suspend) return undefined;
  return start + seconds * 1000;
}

export async function syncJob(deps: JobSyncDeps, key: string): Promise<void> {
  const shared = deps.jobInformer.getByKey(key);
  if (!shared) {
    deps.expectations.delete(key);
    deps.finalizerExpectations.delete(key);
    deps.backoffs.delete(key);
    return;
  }
  const managedBy = shared.spec?.managedBy;
  if (managedBy && managedBy !== jobControllerName) return;
  if (isJobFinished(shared)) {
    deps.backoffs.delete(key);
    return;
  }
  const job = structuredClone(shared);
  const spec = job.spec ?? { template: {} };
  const mode = spec.completionMode ?? 'NonIndexed';
  if (mode !== 'NonIndexed' && mode !== 'Indexed') {
    deps.recorder.event(
      job,
      'Warning',
      'UnknownCompletionMode',
      'Skipped Job sync because completion mode is unknown',
    );
    return;
  }
  const indexed = mode === 'Indexed';
  const completions = spec.completions ?? undefined;
  const status = job.status ?? {};
  job.status = status;
  status.uncountedTerminatedPods ??= {};

  // Read expectations before the pods, so a pod arriving in between only delays the next sync.
  const satisfied = deps.expectations.satisfied(key);
  const pods = deps.podInformer.byIndex(podsByJobUid, job.metadata?.uid ?? '');
  const expectedRemovals = deps.finalizerExpectations.expected(key);
  const activePods = pods.filter(isPodActive);
  const uncounted = {
    succeeded: new Set(status.uncountedTerminatedPods.succeeded ?? []),
    failed: new Set(status.uncountedTerminatedPods.failed ?? []),
  };
  const notYetCounted = (pod: V1Pod) => {
    const uid = pod.metadata?.uid ?? '';
    if (!hasTrackingFinalizer(pod) || expectedRemovals.has(uid)) return false;
    const index = completionIndexOf(pod);
    return !indexed || (index !== undefined && index < (completions ?? 0));
  };
  const newSucceeded = pods.filter(
    (p) =>
      notYetCounted(p) && !uncounted.succeeded.has(p.metadata?.uid ?? '') && p.status?.phase === 'Succeeded',
  );
  const newFailed = pods.filter(
    (p) => notYetCounted(p) && !uncounted.failed.has(p.metadata?.uid ?? '') && isPodFailed(p, job),
  );

  const now = deps.clock.now();
  const startTimeSet = !status.startTime && !spec.suspend;
  if (startTimeSet) status.startTime = timestamp(now) as unknown as Date;

  const state: JobSyncState = {
    key,
    job,
    pods,
    activePods,
    finished: undefined,
    succeeded: (status.succeeded ?? 0) + newSucceeded.length + uncounted.succeeded.size,
    failed: (status.failed ?? 0) + newFailed.length + uncounted.failed.size,
    ready: activePods.filter(isPodReady).length,
    terminating: pods.filter(isPodTerminating).length,
    prevSucceededIndexes: new Set(),
    succeededIndexes: new Set(),
    backoff: deps.backoffs.next(key, newSucceeded, newFailed),
    expectedRemovals,
    uncounted,
  };

  const successCriteriaMet = findJobCondition(job, 'SuccessCriteriaMet');
  const failureTarget = findJobCondition(job, 'FailureTarget');
  if (successCriteriaMet?.status === 'True') {
    state.finished = successCriteriaMet;
  } else if (failureTarget?.status === 'True') {
    state.finished = newJobCondition(
      'Failed',
      'True',
      failureTarget.reason ?? '',
      failureTarget.message ?? '',
      now,
    );
  } else if (
    state.failed > (spec.backoffLimit ?? defaultBackoffLimit) ||
    pastBackoffLimitOnFailure(job, pods)
  ) {
    state.finished = newJobCondition(
      'FailureTarget',
      'True',
      backoffLimitExceeded.reason,
      backoffLimitExceeded.message,
      now,
    );
  } else {
    const deadline = deadlineOf(job);
    if (deadline !== undefined && now.getTime() >= deadline) {
      state.finished = newJobCondition(
        'FailureTarget',
        'True',
        deadlineExceeded.reason,
        deadlineExceeded.message,
        now,
      );
    } else if (deadline !== undefined) {
      deps.requeue.at(key, new Date(deadline));
    }
  }

  if (indexed) {
    state.prevSucceededIndexes = parseIndexes(status.completedIndexes, completions ?? 0);
    state.succeededIndexes = new Set(state.prevSucceededIndexes);
    for (const pod of pods) {
      const index = completionIndexOf(pod);
      if (
        pod.status?.phase === 'Succeeded' &&
        hasTrackingFinalizer(pod) &&
        index !== undefined &&
        index < (completions ?? 0)
      ) {
        state.succeededIndexes.add(index);
      }
    }
    state.succeeded = state.succeededIndexes.size;
  }

  let active = activePods.length;
  let manageError: unknown;
  let suspendChanged = false;
  if (state.finished) {
    const { done, error } = await deleteActivePods(deps, state);
    // Not finished until every pod is deleted and the cache shows all our own changes.
    if (done !== active || !satisfied) state.finished = undefined;
    active -= done;
    manageError = error;
  } else {
    let managed = false;
    if (satisfied && !job.metadata?.deletionTimestamp) {
      ({ active, error: manageError } = await manageJob(deps, state));
      managed = true;
    }
    const complete =
      completions === undefined
        ? state.succeeded > 0 && active === 0
        : state.succeeded >= completions && active === 0;
    if (complete) {
      state.finished = newJobCondition(
        'SuccessCriteriaMet',
        'True',
        completionsReached.reason,
        completionsReached.message,
        now,
      );
    } else if (managed && spec.suspend) {
      suspendChanged = ensureJobCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
      if (suspendChanged) deps.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
    } else if (managed) {
      suspendChanged = ensureJobCondition(job, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
      if (suspendChanged) {
        deps.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
        // activeDeadlineSeconds counts time continuously active, so it restarts on resume.
        status.startTime = timestamp(now) as unknown as Date;
      }
    }
  }

  const needsWrite =
    suspendChanged ||
    startTimeSet ||
    active !== (status.active ?? 0) ||
    state.ready !== status.ready ||
    state.terminating !== status.terminating;
  status.active = active;
  status.ready = state.ready;
  status.terminating = state.terminating;
  await trackJobStatus(deps, state, needsWrite);
  if (manageError) throw manageError;
}
