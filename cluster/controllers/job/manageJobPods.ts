// Brings a Job's active pods to what it wants: none while suspended, otherwise parallelism bounded
// by the completions still missing; creates in slow-start batches after any failure back-off,
// removes the cheapest pods first.

import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { isNotFound } from '../runtime/clusterClient';
import { duplicatedIndexPods, firstPendingIndexes } from './completionIndexes';
import { compareForRemoval, isPodReady, jobTrackingFinalizer, onlyReplaceFailedPods } from './jobPods';
import { podForJob } from './jobPodTemplate';
import type { JobSyncDeps, JobSyncState } from './jobSyncState';
import { remainingBackoffMs } from './podBackoff';

/** At most this many pods are created or deleted in one sync, as Kubernetes' MaxPodCreateDeletePerSync. */
const maxPodChangesPerSync = 500;

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isIndexed(job: V1Job): boolean {
  return job.spec?.completionMode === 'Indexed';
}

/** Active pods to remove: duplicate or invalid indexes first, then the cheapest to lose. */
function activePodsForRemoval(job: V1Job, pods: readonly V1Pod[], atLeast: number): V1Pod[] {
  const { remove, keep } = isIndexed(job)
    ? duplicatedIndexPods(pods, job.spec?.completions ?? 0)
    : { remove: [], keep: [...pods] };
  if (remove.length >= atLeast) return remove;
  return [...remove, ...keep.sort(compareForRemoval).slice(0, atLeast - remove.length)];
}

/** Resolves false when the pod was already gone. */
async function deletePod(deps: JobSyncDeps, job: V1Job, pod: V1Pod): Promise<boolean> {
  const meta = pod.metadata ?? {};
  const existed = await deps.pods.delete(meta.namespace, meta.name ?? '');
  if (existed) deps.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${meta.name}`);
  return existed;
}

/** The outcome of pod changes: how many succeeded, and the first error, which the sync reports after writing status. */
export interface PodChanges {
  done: number;
  error?: unknown;
}

/** Deletes pods the Job no longer wants, dropping the finalizer first so they are not counted as failures. */
async function deleteJobPods(deps: JobSyncDeps, state: JobSyncState, pods: V1Pod[]): Promise<PodChanges> {
  deps.expectations.expectDeletions(state.key, pods.length);
  const results = await Promise.allSettled(
    pods.map(async (pod) => {
      const meta = pod.metadata ?? {};
      await deps.pods.mutate(meta.namespace, meta.name ?? '', (live) => {
        const finalizers = live.metadata?.finalizers ?? [];
        if (!finalizers.includes(jobTrackingFinalizer)) return undefined;
        live.metadata = {
          ...live.metadata,
          finalizers: finalizers.filter((f) => f !== jobTrackingFinalizer),
        };
        return live;
      });
      return deletePod(deps, state.job, pod);
    }),
  );
  const changes: PodChanges = { done: 0 };
  results.forEach((result, i) => {
    if (result.status === 'rejected' || !result.value) {
      // The informer will not see this deletion.
      deps.expectations.deletionObserved(state.key);
      if (result.status === 'rejected' && !isNotFound(result.reason)) {
        changes.error ??= result.reason;
        return;
      }
    }
    changes.done++;
    if (isPodReady(pods[i] as V1Pod)) state.ready--;
  });
  state.terminating += changes.done;
  return changes;
}

/**
 * Deletes every active pod of a finishing Job, keeping the finalizers: the status tracking counts
 * them as failed and then releases them.
 */
export async function deleteActivePods(deps: JobSyncDeps, state: JobSyncState): Promise<PodChanges> {
  const results = await Promise.allSettled(state.activePods.map((pod) => deletePod(deps, state.job, pod)));
  const changes: PodChanges = { done: 0 };
  results.forEach((result, i) => {
    if (result.status === 'rejected' && !isNotFound(result.reason)) {
      changes.error ??= result.reason;
      return;
    }
    changes.done++;
    if (isPodReady(state.activePods[i] as V1Pod)) state.ready--;
  });
  state.terminating += changes.done;
  return changes;
}

/** Creates pods for the given indexes (or `count` non-indexed pods) in doubling batches. */
async function createPods(
  deps: JobSyncDeps,
  state: JobSyncState,
  count: number,
  indexes: number[] | undefined,
): Promise<PodChanges> {
  deps.expectations.expectCreations(state.key, count);
  const changes: PodChanges = { done: 0 };
  let remaining = count;
  for (let batch = Math.min(remaining, 1); remaining > 0; batch = Math.min(2 * batch, remaining)) {
    const pods = Array.from({ length: batch }, () => podForJob(state.job, indexes?.shift()));
    const results = await Promise.allSettled(pods.map((pod) => deps.pods.create(pod)));
    for (const result of results) {
      if (result.status === 'fulfilled') {
        changes.done++;
        deps.recorder.event(
          state.job,
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${result.value.metadata?.name}`,
        );
        continue;
      }
      deps.expectations.creationObserved(state.key);
      deps.recorder.event(
        state.job,
        'Warning',
        'FailedCreate',
        `Error creating: ${errorMessage(result.reason)}`,
      );
      changes.error ??= result.reason;
    }
    remaining -= batch;
    if (changes.error) {
      // Pods never attempted will not be observed either; the next sync retries them.
      for (let i = 0; i < remaining; i++) deps.expectations.creationObserved(state.key);
      break;
    }
  }
  return changes;
}

/** Creates or deletes pods; `active` is the number of active pods afterwards. */
export async function manageJob(
  deps: JobSyncDeps,
  state: JobSyncState,
): Promise<{ active: number; error?: unknown }> {
  const { job } = state;
  const spec = job.spec ?? { template: {} };
  const active = state.activePods.length;
  if (spec.suspend) {
    const { done, error } = await deleteJobPods(
      deps,
      state,
      activePodsForRemoval(job, state.activePods, active),
    );
    return { active: active - done, error };
  }
  const parallelism = spec.parallelism ?? 1;
  let wantActive: number;
  if (spec.completions === undefined || spec.completions === null) {
    // Without a completion count the first success ends the Job: let what runs finish.
    wantActive = state.succeeded > 0 ? active : parallelism;
  } else {
    wantActive = Math.max(0, Math.min(spec.completions - state.succeeded, parallelism));
  }
  const excess = activePodsForRemoval(job, state.activePods, Math.max(0, active - wantActive));
  if (excess.length > 0) {
    const { done, error } = await deleteJobPods(deps, state, excess.slice(0, maxPodChangesPerSync));
    return { active: active - done, error };
  }

  const waitingForTermination = onlyReplaceFailedPods(job) ? state.terminating : 0;
  let missing = Math.min(wantActive - waitingForTermination - active, maxPodChangesPerSync);
  if (missing <= 0) return { active };
  const now = deps.clock.now().getTime();
  const wait = remainingBackoffMs(state.backoff, now, deps.podFailureBackoffMs, deps.maxPodFailureBackoffMs);
  if (wait > 0) {
    deps.requeue.at(state.key, new Date(now + wait));
    return { active };
  }
  let indexes: number[] | undefined;
  if (isIndexed(job)) {
    indexes = firstPendingIndexes(state.succeededIndexes, state.activePods, missing, spec.completions ?? 0);
    missing = indexes.length;
  }
  if (missing === 0) return { active };
  const { done, error } = await createPods(deps, state, missing, indexes);
  return { active: active + done, error };
}
