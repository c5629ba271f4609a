import { describe, expect, it } from 'vitest';
import { slowStartBatch } from './slowStartBatch';

describe('slow start batch', () => {
  it('runs calls in doubling batches until the count is reached', async () => {
    const batches: number[] = [];
    let inFlight = 0;
    const result = await slowStartBatch(10, 1, async () => {
      inFlight++;
      if (batches.length === 0 || inFlight === 1) batches.push(0);
      batches[batches.length - 1] = (batches[batches.length - 1] ?? 0) + 1;
      await Promise.resolve();
      inFlight--;
    });
    expect(result).toEqual({ successes: 10 });
    expect(batches).toEqual([1, 2, 4, 3]);
  });

  it('stops after the first batch with a failure and reports it', async () => {
    let calls = 0;
    const result = await slowStartBatch(100, 1, async () => {
      calls++;
      if (calls === 3) throw new Error('refused');
    });
    expect(calls).toBe(3);
    expect(result.successes).toBe(2);
    expect(String(result.error)).toBe('Error: refused');
  });
});
