import { describe, expect, it } from 'vitest';
import { eventually } from '../testing/controllerHarness';
import { ManualClock } from './clock';
import { clockRequeue } from './clockRequeue';
import { WorkQueue } from './workQueue';

describe('clockRequeue', () => {
  it('queues a key once a manual clock is moved past its time, earliest time winning', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const queue = new WorkQueue();
    const requeue = clockRequeue(clock, queue, { pollMs: 5 });
    requeue.at('ns/a', new Date('2026-01-01T00:01:00Z'));
    requeue.at('ns/a', new Date('2026-01-01T00:00:30Z'));
    requeue.at('ns/b', new Date('2026-01-01T00:05:00Z'));
    clock.advance(30_000);
    await eventually(() => queue.length === 1, 1000, 'a queued');
    expect(await queue.get()).toBe('ns/a');
    clock.advance(10 * 60_000);
    await eventually(() => queue.length === 1, 1000, 'b queued');
    expect(await queue.get()).toBe('ns/b');
    requeue.stop();
    queue.shutDown();
  });
});
