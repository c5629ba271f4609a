// kube-scheduler's PriorityQueue: an active queue ordered by priority then arrival, a backoff
// queue for pods that failed recently (1 s doubling to 10 s), and a pool of unschedulable pods
// that wait for a cluster event that could help them (a node added, a pod deleted, ...) or, at
// the latest, maxUnschedulableMs. Pods with scheduling gates wait until the gates are removed.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/backend/queue/scheduling_queue.go

import type { PodInfo } from './podInfo';

export interface QueuedPod {
  info: PodInfo;
  /** Scheduling attempts so far. */
  attempts: number;
  /** Arrival order in the active queue (FIFO within a priority). */
  sequence: number;
  /** When the last attempt ended (ms, monotonic). */
  lastAttemptAt: number;
  /** Plugins that rejected the pod in its last attempt; cluster events wake it only if one cares. */
  rejectedBy: ReadonlySet<string>;
  /** The pod changed, or the cluster did, while it was being scheduled: retry rather than wait. */
  changedInFlight: boolean;
}

export interface SchedulingQueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Unschedulable pods are retried after this long even without an event (default 5 min). */
  maxUnschedulableMs?: number;
  now?: () => number;
}

/** A cluster event, described by which plugins' rejections it may resolve (undefined: any). */
export type ClusterEvent = { plugins?: ReadonlySet<string> };

export function isGated(info: PodInfo): boolean {
  return (info.pod.spec?.schedulingGates ?? []).length > 0;
}

function before(a: QueuedPod, b: QueuedPod): boolean {
  return a.info.priority !== b.info.priority ? a.info.priority > b.info.priority : a.sequence < b.sequence;
}

/** A binary heap with lazy deletion: entries not current in `members` are skipped on pop. */
class ActiveHeap {
  private readonly heap: QueuedPod[] = [];

  push(item: QueuedPod): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as QueuedPod, heap[parent] as QueuedPod)) break;
      [heap[i], heap[parent]] = [heap[parent] as QueuedPod, heap[i] as QueuedPod];
      i = parent;
    }
  }

  pop(): QueuedPod | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < heap.length && before(heap[left] as QueuedPod, heap[best] as QueuedPod)) best = left;
        if (right < heap.length && before(heap[right] as QueuedPod, heap[best] as QueuedPod)) best = right;
        if (best === i) break;
        [heap[i], heap[best]] = [heap[best] as QueuedPod, heap[i] as QueuedPod];
        i = best;
      }
    }
    return top;
  }

  get size(): number {
    return this.heap.length;
  }
}

export class SchedulingQueue {
  private readonly active = new ActiveHeap();
  private readonly activeMembers = new Map<string, QueuedPod>();
  private readonly backoff = new Map<string, QueuedPod>();
  private readonly unschedulable = new Map<string, QueuedPod>();
  /** Unschedulable pods per rejecting plugin, so events nobody waits for cost nothing. */
  private readonly rejectedTally = new Map<string, number>();
  private readonly gated = new Map<string, QueuedPod>();
  /** Popped and not yet bound or put back: a scheduling or binding cycle owns them. */
  private readonly inFlight = new Map<string, QueuedPod>();
  private waiters: ((item: QueuedPod | undefined) => void)[] = [];
  private sequence = 0;
  private closed = false;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private readonly now: () => number;

  constructor(options: SchedulingQueueOptions = {}) {
    this.initialBackoffMs = options.initialBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = options.maxUnschedulableMs ?? 5 * 60_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** A new pending pod. */
  add(info: PodInfo): void {
    if (this.has(info.uid)) {
      this.update(info);
      return;
    }
    this.enter({
      info,
      attempts: 0,
      sequence: 0,
      lastAttemptAt: 0,
      rejectedBy: new Set(),
      changedInFlight: false,
    });
  }

  /**
   * A pending pod changed. A changed spec or labels may make it schedulable, so a waiting pod
   * moves on (to backoff if it is still backing off); status-only changes just refresh it.
   */
  update(info: PodInfo, specChanged = true): void {
    const uid = info.uid;
    const queued = this.activeMembers.get(uid) ?? this.backoff.get(uid);
    if (queued) {
      queued.info = info;
      return;
    }
    const flying = this.inFlight.get(uid);
    if (flying) {
      flying.info = info;
      if (specChanged) flying.changedInFlight = true;
      return;
    }
    const waiting = this.unschedulable.get(uid) ?? this.gated.get(uid);
    if (!waiting) {
      this.add(info);
      return;
    }
    waiting.info = info;
    if (!specChanged) return;
    this.unpark(uid);
    this.gated.delete(uid);
    this.requeue(waiting);
  }

  delete(uid: string): void {
    this.inFlight.delete(uid);
    this.activeMembers.delete(uid);
    this.backoff.delete(uid);
    this.unpark(uid);
    this.gated.delete(uid);
  }

  has(uid: string): boolean {
    return (
      this.activeMembers.has(uid) ||
      this.backoff.has(uid) ||
      this.unschedulable.has(uid) ||
      this.gated.has(uid) ||
      this.inFlight.has(uid)
    );
  }

  /** The next pod to schedule; waits while the active queue is empty; undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    const next = this.takeActive();
    if (next || this.closed) return Promise.resolve(next);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * After an attempt that found no node: wait for an event one of `rejectedBy` cares about (or
   * retry after the backoff if something changed meanwhile). Pods deleted meanwhile are dropped.
   */
  addUnschedulable(item: QueuedPod, rejectedBy: ReadonlySet<string>): void {
    if (!this.land(item)) return;
    item.rejectedBy = rejectedBy;
    if (item.changedInFlight) this.requeue(item);
    else this.park(item);
  }

  /** After an error (a failed binding, a failed write): retry after the backoff. */
  addBackoff(item: QueuedPod): void {
    if (this.land(item)) this.backoff.set(item.info.uid, item);
  }

  /** The pod's binding cycle finished: it is no longer the queue's. */
  done(uid: string): void {
    this.inFlight.delete(uid);
  }

  /** Moves unschedulable pods an event may help to the active queue (or backoff). */
  moveOnEvent(event: ClusterEvent): void {
    for (const item of this.inFlight.values()) item.changedInFlight = true;
    const plugins = event.plugins;
    if (plugins && ![...plugins].some((p) => (this.rejectedTally.get(p) ?? 0) > 0)) return;
    for (const [uid, item] of this.unschedulable) {
      if (plugins && ![...item.rejectedBy].some((p) => plugins.has(p))) continue;
      this.unpark(uid);
      this.requeue(item);
    }
  }

  /** Moves pods whose backoff expired to the active queue. */
  flushBackoff(): void {
    const now = this.now();
    for (const [uid, item] of this.backoff) {
      if (this.backoffExpiry(item) > now) continue;
      this.backoff.delete(uid);
      this.enter(item);
    }
  }

  /** Retries pods that waited longer than maxUnschedulableMs for an event. */
  flushUnschedulableLeftover(): void {
    const now = this.now();
    for (const [uid, item] of this.unschedulable) {
      if (now - item.lastAttemptAt < this.maxUnschedulableMs) continue;
      this.unpark(uid);
      this.requeue(item);
    }
  }

  get counts(): { active: number; backoff: number; unschedulable: number; gated: number } {
    return {
      active: this.activeMembers.size,
      backoff: this.backoff.size,
      unschedulable: this.unschedulable.size,
      gated: this.gated.size,
    };
  }

  close(): void {
    this.closed = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake(undefined);
  }

  private park(item: QueuedPod): void {
    this.unschedulable.set(item.info.uid, item);
    for (const p of item.rejectedBy) this.rejectedTally.set(p, (this.rejectedTally.get(p) ?? 0) + 1);
  }

  private unpark(uid: string): void {
    const item = this.unschedulable.get(uid);
    if (!item) return;
    this.unschedulable.delete(uid);
    for (const p of item.rejectedBy) this.rejectedTally.set(p, (this.rejectedTally.get(p) ?? 1) - 1);
  }

  private land(item: QueuedPod): boolean {
    if (this.closed || this.inFlight.get(item.info.uid) !== item) return false;
    this.inFlight.delete(item.info.uid);
    item.attempts++;
    item.lastAttemptAt = this.now();
    return true;
  }

  private backoffExpiry(item: QueuedPod): number {
    const delay = Math.min(this.initialBackoffMs * 2 ** Math.max(0, item.attempts - 1), this.maxBackoffMs);
    return item.lastAttemptAt + delay;
  }

  private requeue(item: QueuedPod): void {
    if (item.attempts > 0 && this.backoffExpiry(item) > this.now()) this.backoff.set(item.info.uid, item);
    else this.enter(item);
  }

  private enter(item: QueuedPod): void {
    if (this.closed) return;
    if (isGated(item.info)) {
      this.gated.set(item.info.uid, item);
      return;
    }
    item.sequence = this.sequence++;
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(this.fly(item));
      return;
    }
    this.activeMembers.set(item.info.uid, item);
    this.active.push(item);
  }

  private fly(item: QueuedPod): QueuedPod {
    item.changedInFlight = false;
    this.inFlight.set(item.info.uid, item);
    return item;
  }

  private takeActive(): QueuedPod | undefined {
    while (this.active.size > 0) {
      const item = this.active.pop() as QueuedPod;
      if (this.activeMembers.get(item.info.uid) !== item) continue;
      this.activeMembers.delete(item.info.uid);
      return this.fly(item);
    }
    return undefined;
  }
}
