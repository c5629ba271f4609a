// One sync of one CronJob, as the CronJob controller (v2): prune finished Jobs beyond the history
// limits, reconcile `status.active` with the Jobs it owns, then start a Job for the most recent
// unmet scheduled time unless suspended, too late (startingDeadlineSeconds) or forbidden by the
// concurrency policy. Returns when to look again.
// https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/

import type { V1CronJob, V1Job, V1ObjectReference } from '@kubernetes/client-node';
import { timestamp } from '../../api/rest/restContext';
import { isApiError } from '../../api/status';
import { parseCronSchedule, timeZoneProblem } from '../../cron/cronSchedule';
import { jobFinishedType } from '../job/jobConditions';
import type { Clock } from '../runtime/clock';
import type { ResourceClient } from '../runtime/clusterClient';
import type { EventRecorder } from '../runtime/eventRecorder';
import { isControlledBy } from '../runtime/ownerReferences';
import { jobFromCronJob, jobNameFor } from './jobFromCronJob';
import { nextScheduleTime, tooManyMissed, unmetSchedule } from './scheduleTimes';

export interface CronJobSyncDeps {
  cronJobs: ResourceClient<V1CronJob>;
  jobs: ResourceClient<V1Job>;
  recorder: EventRecorder;
  clock: Clock;
}

export interface CronJobSyncResult {
  /** The status changed and must be written. */
  changed: boolean;
  /** When to sync again (the next scheduled time), if ever. */
  next?: Date;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function jobReference(job: V1Job): V1ObjectReference {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    name: job.metadata?.name ?? '',
    namespace: job.metadata?.namespace ?? '',
    uid: job.metadata?.uid ?? '',
    resourceVersion: job.metadata?.resourceVersion ?? '',
  };
}

function removeFromActive(cronJob: V1CronJob, uid: string | undefined): void {
  const status = cronJob.status ?? {};
  status.active = (status.active ?? []).filter((ref) => ref.uid !== uid);
  if (status.active.length === 0) delete status.active;
  cronJob.status = status;
}

const isActive = (cronJob: V1CronJob, uid: string | undefined) =>
  (cronJob.status?.active ?? []).some((ref) => ref.uid === uid);

/** Deletes a Job and drops it from the active list; false (with an event) when the delete fails. */
async function deleteJob(deps: CronJobSyncDeps, cronJob: V1CronJob, job: V1Job): Promise<boolean> {
  try {
    await deps.jobs.delete(job.metadata?.namespace, job.metadata?.name ?? '', {
      propagationPolicy: 'Background',
    });
  } catch (err) {
    deps.recorder.event(cronJob, 'Warning', 'FailedDelete', `Deleted job: ${errorMessage(err)}`);
    return false;
  }
  removeFromActive(cronJob, job.metadata?.uid);
  deps.recorder.event(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata?.name}`);
  return true;
}

const startTime = (job: V1Job) =>
  job.status?.startTime ? new Date(job.status.startTime).getTime() : undefined;

/** Oldest first by start time (unstarted last), then by name. */
function byStartTime(a: V1Job, b: V1Job): number {
  const sa = startTime(a);
  const sb = startTime(b);
  if (sa !== sb) {
    if (sa === undefined) return 1;
    if (sb === undefined) return -1;
    return sa - sb;
  }
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
export async function cleanupFinishedJobs(
  deps: CronJobSyncDeps,
  cronJob: V1CronJob,
  jobs: readonly V1Job[],
): Promise<boolean> {
  const limits = {
    Complete: cronJob.spec?.successfulJobsHistoryLimit,
    Failed: cronJob.spec?.failedJobsHistoryLimit,
  };
  let changed = false;
  for (const type of ['Complete', 'Failed'] as const) {
    const limit = limits[type];
    if (limit === undefined || limit === null) continue;
    const finished = jobs.filter((j) => jobFinishedType(j) === type).sort(byStartTime);
    for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
      if (await deleteJob(deps, cronJob, job)) changed = true;
    }
  }
  return changed;
}

/** Brings `status.active` and `lastSuccessfulTime` in line with the Jobs the CronJob owns. */
async function reconcileActive(
  deps: CronJobSyncDeps,
  cronJob: V1CronJob,
  jobs: readonly V1Job[],
): Promise<boolean> {
  let changed = false;
  const status = cronJob.status ?? {};
  cronJob.status = status;
  for (const job of jobs) {
    const finished = jobFinishedType(job);
    const active = isActive(cronJob, job.metadata?.uid);
    if (!active && !finished) {
      // The cache may be behind our own status write: check the stored CronJob first.
      const stored = await deps.cronJobs.get(cronJob.metadata?.namespace, cronJob.metadata?.name ?? '');
      if (stored && isActive(stored, job.metadata?.uid)) {
        status.active = [
          ...(status.active ?? []),
          ...(stored.status?.active ?? []).filter((r) => r.uid === job.metadata?.uid),
        ];
        continue;
      }
      deps.recorder.event(
        cronJob,
        'Warning',
        'UnexpectedJob',
        `Saw a job that the controller did not create or forgot: ${job.metadata?.name}`,
      );
    } else if (active && finished) {
      removeFromActive(cronJob, job.metadata?.uid);
      deps.recorder.event(
        cronJob,
        'Normal',
        'SawCompletedJob',
        `Saw completed job: ${job.metadata?.name}, status: ${finished}`,
      );
      changed = true;
    } else if (finished === 'Complete' && job.status?.completionTime) {
      const completed = new Date(job.status.completionTime).getTime();
      const last = status.lastSuccessfulTime ? new Date(status.lastSuccessfulTime).getTime() : undefined;
      if (last === undefined || completed > last) {
        status.lastSuccessfulTime = job.status.completionTime;
        changed = true;
      }
    }
  }
  const owned = new Set(jobs.map((j) => j.metadata?.uid));
  for (const ref of [...(status.active ?? [])]) {
    if (owned.has(ref.uid)) continue;
    // Ask the store, not the cache, before declaring a Job missing.
    if (await deps.jobs.get(ref.namespace, ref.name ?? '')) continue;
    deps.recorder.event(cronJob, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
    removeFromActive(cronJob, ref.uid);
    changed = true;
  }
  return changed;
}

/** Go's time.RFC1123Z, used in MissSchedule events. */
function rfc1123z(date: Date): string {
  const [weekday, day, month, year, time] = date.toUTCString().replace(',', '').split(' ');
  return `${weekday}, ${day} ${month} ${year} ${time} +0000`;
}

/** Reconciles the CronJob (a working copy, updated in place) with its Jobs and the clock. */
export async function syncCronJob(
  deps: CronJobSyncDeps,
  cronJob: V1CronJob,
  jobs: readonly V1Job[],
): Promise<CronJobSyncResult> {
  let changed = await reconcileActive(deps, cronJob, jobs);
  if (cronJob.metadata?.deletionTimestamp) return { changed };
  const spec = cronJob.spec;
  if (!spec) return { changed };
  const zoneProblem = timeZoneProblem(spec.timeZone);
  if (zoneProblem) {
    deps.recorder.event(
      cronJob,
      'Warning',
      'UnknownTimeZone',
      `invalid timeZone: "${spec.timeZone}": ${zoneProblem}`,
    );
    return { changed };
  }
  if (spec.suspend) return { changed };
  let schedule: ReturnType<typeof parseCronSchedule>;
  try {
    schedule = parseCronSchedule(spec.schedule, spec.timeZone);
  } catch (err) {
    deps.recorder.event(
      cronJob,
      'Warning',
      'UnparseableSchedule',
      `unparseable schedule: "${spec.schedule}" : ${errorMessage(err)}`,
    );
    return { changed };
  }
  const now = deps.clock.now();
  const unmet = unmetSchedule(cronJob, schedule, now, true);
  if (!unmet) {
    deps.recorder.event(
      cronJob,
      'Warning',
      'InvalidSchedule',
      `invalid schedule: ${spec.schedule} : the schedule has no run times`,
    );
    return { changed };
  }
  const next = nextScheduleTime(cronJob, schedule, now);
  const scheduled = unmet.mostRecent;
  if (!scheduled) return { changed, next };
  if (unmet.missed > tooManyMissed) {
    deps.recorder.event(
      cronJob,
      'Warning',
      'TooManyMissedTimes',
      `too many missed start times: ${unmet.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
    );
  }
  const deadline = spec.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null && scheduled.getTime() + deadline * 1000 < now.getTime()) {
    deps.recorder.event(
      cronJob,
      'Warning',
      'MissSchedule',
      `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`,
    );
    return { changed, next };
  }
  const name = jobNameFor(cronJob, scheduled);
  const lastScheduled = cronJob.status?.lastScheduleTime;
  if (
    (cronJob.status?.active ?? []).some((ref) => ref.name === name) ||
    (lastScheduled !== undefined && new Date(lastScheduled).getTime() === scheduled.getTime())
  ) {
    return { changed, next };
  }
  if (spec.concurrencyPolicy === 'Forbid' && (cronJob.status?.active ?? []).length > 0) {
    deps.recorder.event(
      cronJob,
      'Normal',
      'JobAlreadyActive',
      'Not starting job because prior execution is running and concurrency policy is Forbid',
    );
    return { changed, next };
  }
  if (spec.concurrencyPolicy === 'Replace') {
    for (const ref of [...(cronJob.status?.active ?? [])]) {
      const running = await deps.jobs.get(ref.namespace, ref.name ?? '');
      if (running && !(await deleteJob(deps, cronJob, running))) {
        throw new Error(`could not replace job ${ref.namespace}/${ref.name}`);
      }
      if (!running) removeFromActive(cronJob, ref.uid);
      changed = true;
    }
  }
  let job: V1Job;
  try {
    job = await deps.jobs.create(jobFromCronJob(cronJob, scheduled));
    deps.recorder.event(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata?.name}`);
  } catch (err) {
    if (!isApiError(err) || err.status.reason !== 'AlreadyExists') {
      deps.recorder.event(cronJob, 'Warning', 'FailedCreate', `Error creating job: ${errorMessage(err)}`);
      throw err;
    }
    // Created by an earlier sync whose status write was lost, or by someone else.
    const existing = await deps.jobs.get(cronJob.metadata?.namespace, name);
    if (!existing || !isControlledBy(existing, cronJob) || isActive(cronJob, existing.metadata?.uid)) {
      return { changed, next };
    }
    job = existing;
  }
  const status = cronJob.status ?? {};
  status.active = [...(status.active ?? []), jobReference(job)];
  status.lastScheduleTime = timestamp(scheduled) as unknown as Date;
  cronJob.status = status;
  return { changed: true, next };
}
