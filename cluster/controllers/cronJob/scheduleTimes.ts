// Which scheduled time a CronJob owes a Job for, as the CronJob controller's
// mostRecentScheduleTime: the latest run in (last schedule or creation, now], how many runs were
// missed, and when to look again. Only the most recent missed run is ever started.
// https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#job-creation

import type { V1CronJob } from '@kubernetes/client-node';
import type { CronSchedule } from '../../cron/cronSchedule';

/** More missed runs than this is reported as likely clock skew or a too-long outage. */
export const tooManyMissed = 100;

export interface UnmetSchedule {
  /** Where the search started: the last schedule time, creation, or the starting deadline. */
  earliest: Date;
  /** The latest run in (earliest, now], if any. */
  mostRecent?: Date;
  /** Runs in (earliest, now]; an estimate once it exceeds `tooManyMissed`. */
  missed: number;
}

function earliestTime(cronJob: V1CronJob, now: Date, withStartingDeadline: boolean): Date {
  const last = cronJob.status?.lastScheduleTime ?? cronJob.metadata?.creationTimestamp;
  let earliest = last ? new Date(last) : now;
  const deadline = cronJob.spec?.startingDeadlineSeconds;
  if (withStartingDeadline && deadline !== undefined && deadline !== null) {
    // Nothing before the starting deadline can still start.
    const cutoff = new Date(now.getTime() - deadline * 1000);
    if (cutoff > earliest) earliest = cutoff;
  }
  return earliest;
}

/** Undefined when the schedule has no run after the earliest time (for example 30 February). */
export function unmetSchedule(
  cronJob: V1CronJob,
  schedule: CronSchedule,
  now: Date,
  withStartingDeadline: boolean,
): UnmetSchedule | undefined {
  const earliest = earliestTime(cronJob, now, withStartingDeadline);
  const first = schedule.next(earliest);
  if (!first) return undefined;
  if (now < first) return { earliest, missed: 0 };
  let missed = 1;
  let latest = first;
  for (let t = schedule.next(first); t && t <= now; t = schedule.next(t)) {
    latest = t;
    if (++missed > tooManyMissed) {
      // Stop walking; estimate the count from the mean interval so far, as Kubernetes estimates it.
      const meanInterval = (t.getTime() - first.getTime()) / (missed - 1);
      missed = Math.floor((now.getTime() - first.getTime()) / meanInterval) + 1;
      return { earliest, mostRecent: schedule.latest(now) ?? latest, missed };
    }
  }
  return { earliest, mostRecent: latest, missed };
}

/** When the CronJob should next be looked at: the run after the most recent one due. */
export function nextScheduleTime(cronJob: V1CronJob, schedule: CronSchedule, now: Date): Date | undefined {
  const unmet = unmetSchedule(cronJob, schedule, now, false);
  return unmet && schedule.next(unmet.mostRecent ?? unmet.earliest);
}
