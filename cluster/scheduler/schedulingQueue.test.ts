import { describe, expect, it } from 'vitest';
import { SchedulingQueue } from './schedulingQueue';
import { info } from './testing/fixtures';

function manualTime() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('scheduling queue', () => {
  it('pops by priority, then in arrival order', async () => {
    const queue = new SchedulingQueue();
    queue.add(info('low-1', { priority: 0 }));
    queue.add(info('high', { priority: 100 }));
    queue.add(info('low-2', { priority: 0 }));
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await queue.pop())?.info.key);
    expect(order).toEqual(['default/high', 'default/low-1', 'default/low-2']);
  });

  it('hands a pod to a waiting pop, and resolves waiting pops with undefined when closed', async () => {
    const queue = new SchedulingQueue();
    const next = queue.pop();
    queue.add(info('a'));
    expect((await next)?.info.key).toBe('default/a');
    const waiting = queue.pop();
    queue.close();
    expect(await waiting).toBeUndefined();
  });

  it('keeps an unschedulable pod until an event one of its rejecting plugins cares about', async () => {
    const time = manualTime();
    const queue = new SchedulingQueue({ now: time.now, initialBackoffMs: 1000 });
    queue.add(info('a'));
    const item = await queue.pop();
    if (!item) throw new Error('no pod');
    queue.addUnschedulable(item, new Set(['NodeResourcesFit']));
    queue.moveOnEvent({ plugins: new Set(['VolumeBinding']) });
    expect(queue.counts.unschedulable).toBe(1);
    queue.moveOnEvent({ plugins: new Set(['NodeResourcesFit']) });
    // Still backing off after its first failure: it waits in backoff, then becomes active.
    expect(queue.counts).toMatchObject({ unschedulable: 0, backoff: 1, active: 0 });
    time.advance(1000);
    queue.flushBackoff();
    expect((await queue.pop())?.info.key).toBe('default/a');
  });

  it('retries a pod whose spec changed while it was being scheduled', async () => {
    const queue = new SchedulingQueue({ initialBackoffMs: 0 });
    queue.add(info('a'));
    const item = await queue.pop();
    if (!item) throw new Error('no pod');
    queue.update(info('a', { labels: { changed: 'yes' } }));
    queue.addUnschedulable(item, new Set(['NodeAffinity']));
    expect(queue.counts.unschedulable).toBe(0);
    expect((await queue.pop())?.info.labels).toEqual({ changed: 'yes' });
  });

  it('retries unschedulable pods after maxUnschedulableMs without any event', async () => {
    const time = manualTime();
    const queue = new SchedulingQueue({ now: time.now, maxUnschedulableMs: 60_000, initialBackoffMs: 1 });
    queue.add(info('a'));
    const item = await queue.pop();
    if (!item) throw new Error('no pod');
    queue.addUnschedulable(item, new Set(['NodeAffinity']));
    time.advance(59_000);
    queue.flushUnschedulableLeftover();
    expect(queue.counts.unschedulable).toBe(1);
    time.advance(1_000);
    queue.flushUnschedulableLeftover();
    expect(queue.counts.active).toBe(1);
  });

  it('forgets deleted pods, even mid-attempt, and holds gated pods until their gates go', async () => {
    const queue = new SchedulingQueue();
    queue.add(info('a'));
    const item = await queue.pop();
    if (!item) throw new Error('no pod');
    queue.delete(item.info.uid);
    queue.addUnschedulable(item, new Set());
    expect(queue.has(item.info.uid)).toBe(false);

    queue.add(info('gated', { schedulingGates: [{ name: 'wait' }] }));
    expect(queue.counts.gated).toBe(1);
    queue.update(info('gated'));
    expect((await queue.pop())?.info.key).toBe('default/gated');
  });
});
