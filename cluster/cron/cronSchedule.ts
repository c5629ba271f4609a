// CronJob schedules with croner, restricted to what Kubernetes accepts (robfig/cron's standard
// parser): five fields or a descriptor such as @hourly, no seconds, and none of croner's
// extensions (L, W, #, +). The time zone is `spec.timeZone`, never a TZ= prefix in the schedule.
// https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax

import { Cron } from 'croner';

export interface CronSchedule {
  /** The first run strictly after `after`, or undefined when there is none. */
  next(after: Date): Date | undefined;
  /** The latest run at or before `at`, or undefined when there is none. */
  latest(at: Date): Date | undefined;
}

const descriptors: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const names = /JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT/g;

/** Why the API server rejects this schedule, or undefined when it is valid. */
export function scheduleProblem(schedule: string): string | undefined {
  if (schedule.includes('TZ')) return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
  try {
    parseCronSchedule(schedule);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Why the API server rejects this `spec.timeZone`, or undefined when it is valid. */
export function timeZoneProblem(timeZone: string | undefined): string | undefined {
  if (timeZone === undefined) return undefined;
  if (timeZone === '') return 'timeZone must be nil or non-empty string';
  if (timeZone.toLowerCase() === 'local') {
    return 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones';
  }
  const wellFormed = timeZone.split('/').every((part) => /^[A-Za-z_][A-Za-z0-9_+-]*$/.test(part));
  if (!wellFormed) return `unknown time zone ${timeZone}`;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return undefined;
  } catch {
    return `unknown time zone ${timeZone}`;
  }
}

/** Parses a standard schedule; throws with a message saying what is wrong. */
export function parseCronSchedule(schedule: string, timeZone?: string): CronSchedule {
  const text = schedule.trim();
  let pattern = text;
  if (text.startsWith('@')) {
    const expanded = descriptors[text.toLowerCase()];
    if (!expanded) throw new Error(`unrecognized descriptor: ${text}`);
    pattern = expanded;
  }
  const fields = pattern.split(/\s+/).filter(Boolean);
  if (fields.length !== 5)
    throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  for (const field of fields) {
    const rest = field.toUpperCase().replace(names, '');
    if (!/^[0-9*?,/-]+$/.test(rest)) throw new Error(`failed to parse field ${field}: unsupported syntax`);
  }
  const problem = timeZoneProblem(timeZone);
  if (problem) throw new Error(problem);
  const cron = new Cron(pattern, { mode: '5-part', ...(timeZone ? { timezone: timeZone } : {}) });
  return {
    next: (after) => cron.nextRun(after) ?? undefined,
    // previousRuns excludes its reference time; one millisecond later includes a run exactly at `at`.
    latest: (at) => cron.previousRuns(1, new Date(at.getTime() + 1))[0],
  };
}
