// What a controller is waiting to see after it asked for pods to be created or deleted, so a sync
// running on a cache that has not caught up yet does not act twice (client-go's
// UIDTrackingControllerExpectations). Deletions are tracked by pod key, so a pod seen going twice
// (deletionTimestamp set, then removed) lowers the count once. Expectations expire after 5 minutes
// in case a watch event was lost.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_utils.go

import type { Clock } from '../runtime/clock';

interface Expectation {
  add: number;
  del: number;
  at: number;
  deleteKeys: Set<string>;
}

const defaultTtlMs = 5 * 60_000;

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = defaultTtlMs,
  ) {}

  /** True when nothing is pending for `key` (or what was pending is too old to wait for). */
  satisfied(key: string): boolean {
    const exp = this.byKey.get(key);
    if (!exp) return true;
    if (exp.add <= 0 && exp.del <= 0) return true;
    return this.clock.now().getTime() - exp.at > this.ttlMs;
  }

  expectCreations(key: string, count: number): void {
    this.byKey.set(key, { add: count, del: 0, at: this.clock.now().getTime(), deleteKeys: new Set() });
  }

  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.byKey.set(key, {
      add: 0,
      del: podKeys.length,
      at: this.clock.now().getTime(),
      deleteKeys: new Set(podKeys),
    });
  }

  creationObserved(key: string): void {
    const exp = this.byKey.get(key);
    if (exp) exp.add--;
  }

  deletionObserved(key: string, podKey: string): void {
    const exp = this.byKey.get(key);
    if (exp?.deleteKeys.delete(podKey)) exp.del--;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
