import { describe, expect, it } from 'vitest';
import { StartSlots } from './startSlots';

describe('StartSlots', () => {
  it('runs at most `limit` pieces of work at once, in the order they came', async () => {
    const slots = new StartSlots(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const all = [0, 1, 2, 3].map((i) =>
      slots.run(async () => {
        running += 1;
        most = Math.max(most, running);
        order.push(i);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
        return i;
      }),
    );
    while (order.length < 4) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      releases.shift()?.();
    }
    for (const release of releases) release();
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3]);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(most).toBe(2);
  });

  it('lets waiting work that finishes a pod go before work that starts a new one', async () => {
    const slots = new StartSlots(1);
    let release = () => {};
    const order: string[] = [];
    const first = slots.run(() => new Promise<void>((resolve) => (release = resolve)));
    const later = [
      slots.run(async () => void order.push('infra of b'), 'new-pod'),
      slots.run(async () => void order.push('app of a'), 'finish-pod'),
    ];
    release();
    await Promise.all([first, ...later]);
    expect(order).toEqual(['app of a', 'infra of b']);
  });

  it('frees the slot when the work fails', async () => {
    const slots = new StartSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await slots.run(async () => 'next')).toBe('next');
  });
});
