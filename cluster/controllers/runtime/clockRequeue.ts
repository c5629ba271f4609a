// Requeues a key when the controllers' clock reaches a time (deadlines, back-off, TTLs, schedules).
// On the system clock that is a timer on the work queue. Any other clock (a test's ManualClock)
// can jump, so a short real-time poll compares it with the pending times and requeues what is due:
// advancing the clock is then all a test does to make the controller react.

import { type Clock, systemClock } from './clock';
import type { WorkQueue } from './workQueue';

export interface ClockRequeue {
  /** Adds `key` to the queue once the clock reads `at` or later; an earlier pending time wins. */
  at(key: string, at: Date): void;
  stop(): void;
}

export interface ClockRequeueOptions {
  /** How often a clock other than the system clock is read; default 50 ms. */
  pollMs?: number;
}

export function clockRequeue(
  clock: Clock,
  queue: WorkQueue,
  options: ClockRequeueOptions = {},
): ClockRequeue {
  if (clock === systemClock) {
    return {
      at: (key, at) => queue.addAfter(key, at.getTime() - Date.now()),
      stop: () => {},
    };
  }
  const due = new Map<string, number>();
  let poll: NodeJS.Timeout | undefined;
  const check = () => {
    const now = clock.now().getTime();
    for (const [key, at] of due) {
      if (at > now) continue;
      due.delete(key);
      queue.add(key);
    }
    if (due.size === 0) {
      clearInterval(poll);
      poll = undefined;
    }
  };
  return {
    at(key, at) {
      const pending = due.get(key);
      if (pending !== undefined && pending <= at.getTime()) return;
      due.set(key, at.getTime());
      if (!poll) {
        poll = setInterval(check, options.pollMs ?? 50);
        poll.unref();
      }
    },
    stop() {
      clearInterval(poll);
      due.clear();
    },
  };
}
