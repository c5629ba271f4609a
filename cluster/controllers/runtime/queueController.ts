// The loop every controller shares: workers take keys from a work queue and call one reconcile
// function for the object the key names; errors are logged and retried with back-off, and a
// reconcile may ask to be called again later (deadlines, delays, schedules).

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from '../../log';
import { type Clock, systemClock } from './clock';
import { type ClockRequeue, clockRequeue } from './clockRequeue';
import { WorkQueue, type WorkQueueOptions } from './workQueue';

export interface ReconcileResult {
  /** Reconcile this key again after this long, even if nothing changes. */
  requeueAfterMs?: number;
}

export type Reconcile = (key: string) => Promise<ReconcileResult | undefined | void>;

export interface Controller {
  readonly name: string;
  /** Starts the workers; called once the informers the controller reads have synced. */
  run(): void;
  stop(): void;
}

export interface QueueController extends Controller {
  readonly queue: WorkQueue;
  /** Queues a key again when the controller's clock reaches a time; stopped with the controller. */
  readonly requeue: ClockRequeue;
}

export interface QueueControllerOptions extends WorkQueueOptions {
  name: string;
  reconcile: Reconcile;
  log: Logger;
  /** Keys reconciled at the same time (never the same key twice at once). */
  workers?: number;
  /** The clock `requeue` reads; the system clock unless a test controls time. */
  clock?: Clock;
}

export function queueController(options: QueueControllerOptions): QueueController {
  const { name, reconcile, log } = options;
  const queue = new WorkQueue(options);
  const requeue = clockRequeue(options.clock ?? systemClock, queue);
  let running = false;

  async function worker(): Promise<void> {
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
      // Each reconcile in its own turn of the event loop: not inside the microtasks of the write
      // that queued the key (the API server answers that write first), and never looping on
      // microtasks alone (the memory store answers without I/O), which would starve timers, HTTP
      // and every other controller.
      await yieldToEventLoop();
      try {
        const result = await reconcile(key);
        queue.forget(key);
        if (result?.requeueAfterMs !== undefined) queue.addAfter(key, result.requeueAfterMs);
      } catch (err) {
        log.warn('reconcile failed; will retry', {
          controller: name,
          key,
          attempt: queue.numRequeues(key) + 1,
          error: err instanceof Error ? err.message : String(err),
        });
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  }

  return {
    name,
    queue,
    requeue,
    run() {
      if (running) return;
      running = true;
      for (let i = 0; i < (options.workers ?? 2); i++) void worker();
    },
    stop() {
      requeue.stop();
      queue.shutDown();
    },
  };
}
