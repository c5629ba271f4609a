// The delay before a Job replaces failed pods: the base delay doubled per failure since the last
// success, capped (Kubernetes: 10 s, 20 s, 40 s … up to six minutes). Kept in memory per Job, as
// the Job controller's backoffStore is; a success resets it.
// https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-backoff-failure-policy

import type { V1Pod } from '@kubernetes/client-node';
import { podFinishedTime } from './jobPods';

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  /** Epoch ms of the latest failure counted. */
  lastFailureTime?: number;
}

export class PodBackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  /** The record after counting newly finished pods; store it with `set` once the counts are saved. */
  next(key: string, newSucceeded: readonly V1Pod[], newFailed: readonly V1Pod[]): BackoffRecord {
    const previous = this.records.get(key) ?? { failuresAfterLastSuccess: 0 };
    const failedTimes = newFailed.map(podFinishedTime).sort((a, b) => a - b);
    if (newSucceeded.length === 0) {
      if (failedTimes.length === 0) return { ...previous };
      return {
        failuresAfterLastSuccess: previous.failuresAfterLastSuccess + failedTimes.length,
        lastFailureTime: failedTimes[failedTimes.length - 1],
      };
    }
    // Only failures after the latest success count.
    const lastSuccess = Math.max(...newSucceeded.map(podFinishedTime));
    const after = failedTimes.filter((t) => t > lastSuccess);
    return after.length === 0
      ? { failuresAfterLastSuccess: 0 }
      : { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1] };
  }

  set(key: string, record: BackoffRecord): void {
    this.records.set(key, record);
  }

  delete(key: string): void {
    this.records.delete(key);
  }
}

/** Milliseconds still to wait before creating pods, 0 when none. */
export function remainingBackoffMs(
  record: BackoffRecord,
  now: number,
  baseMs: number,
  maxMs: number,
): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let delay = baseMs;
  for (let i = 1; i < record.failuresAfterLastSuccess && delay < maxMs; i++) delay *= 2;
  delay = Math.min(delay, maxMs);
  return Math.max(0, delay - (now - record.lastFailureTime));
}
