// Job conditions as the Job controller writes them. Since Kubernetes 1.31 a finishing Job first
// gets an interim condition (SuccessCriteriaMet or FailureTarget) and the terminal one (Complete or
// Failed) only once its pods are counted and none is still terminating.
// https://kubernetes.io/docs/concepts/workloads/controllers/job/#terminal-job-conditions

import type { V1Job, V1JobCondition } from '@kubernetes/client-node';
import { timestamp } from '../../api/rest/restContext';

export type JobConditionType = 'Complete' | 'Failed' | 'SuccessCriteriaMet' | 'FailureTarget' | 'Suspended';

export const backoffLimitExceeded = {
  reason: 'BackoffLimitExceeded',
  message: 'Job has reached the specified backoff limit',
};
export const deadlineExceeded = {
  reason: 'DeadlineExceeded',
  message: 'Job was active longer than specified deadline',
};
export const completionsReached = {
  reason: 'CompletionsReached',
  message: 'Reached expected number of succeeded pods',
};

export function newJobCondition(
  type: JobConditionType,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: Date,
): V1JobCondition {
  const at = timestamp(now) as unknown as Date;
  return { type, status, reason, message, lastProbeTime: at, lastTransitionTime: at };
}

export function findJobCondition(job: V1Job, type: JobConditionType): V1JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

function hasTrueCondition(job: V1Job, type: JobConditionType): boolean {
  return findJobCondition(job, type)?.status === 'True';
}

/** Complete or Failed, when the Job has finished. */
export function jobFinishedType(job: V1Job): 'Complete' | 'Failed' | undefined {
  if (hasTrueCondition(job, 'Complete')) return 'Complete';
  if (hasTrueCondition(job, 'Failed')) return 'Failed';
  return undefined;
}

export function isJobFinished(job: V1Job): boolean {
  return jobFinishedType(job) !== undefined;
}

/**
 * Sets the condition of `type` to the given status, replacing one that differs, as
 * ensureJobConditionStatus does: a missing condition is not added as False. Returns whether the
 * list changed.
 */
export function ensureJobCondition(
  job: V1Job,
  type: JobConditionType,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: Date,
): boolean {
  job.status ??= {};
  const conditions = job.status.conditions ?? [];
  const existing = conditions.findIndex((c) => c.type === type);
  const current = conditions[existing];
  if (current) {
    if (current.status === status && current.reason === reason && current.message === message) return false;
    conditions[existing] = newJobCondition(type, status, reason, message, now);
    job.status.conditions = conditions;
    return true;
  }
  if (status === 'False') return false;
  job.status.conditions = [...conditions, newJobCondition(type, status, reason, message, now)];
  return true;
}
