import { describe, expect, it } from 'vitest';
import { WorkQueue } from './workQueue';

describe('WorkQueue', () => {
  it('holds a key once while it waits', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('a');
    q.add('b');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('re-queues a key added while it is processed, only after done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const key = await q.get();
    q.add('a');
    expect(q.length).toBe(0);
    q.done(key as string);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
  });

  it('backs off exponentially per key until forgotten', async () => {
    const q = new WorkQueue({ baseDelayMs: 1 });
    q.addRateLimited('a');
    q.addRateLimited('a');
    q.addRateLimited('a');
    expect(q.numRequeues('a')).toBe(3);
    expect(await q.get()).toBe('a');
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });

  it('keeps the earlier of two delayed adds', async () => {
    const q = new WorkQueue();
    q.addAfter('a', 60_000);
    q.addAfter('a', 5);
    expect(await q.get()).toBe('a');
  });

  it('wakes waiting workers with undefined on shut down', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.shutDown();
    expect(await waiting).toBeUndefined();
    q.add('a');
    expect(q.length).toBe(0);
  });

  it('reports idle only once every queued and processing key is done', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    let idle = false;
    const waiting = q.idle().then(() => {
      idle = true;
    });
    const a = (await q.get()) as string;
    q.done(a);
    const b = (await q.get()) as string;
    await Promise.resolve();
    expect(idle).toBe(false);
    q.done(b);
    await waiting;
    expect(idle).toBe(true);
    await q.idle();
  });
});
