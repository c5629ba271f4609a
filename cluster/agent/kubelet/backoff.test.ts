import { describe, expect, it } from 'vitest';
import { crashBackoffMs, maxBackoffMs, pullBackoffMs } from './backoff';

describe('crashBackoffMs', () => {
  it('restarts at once the first time, then waits 10 s doubling up to 5 minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((n) => crashBackoffMs(n, 1000))).toEqual([
      0,
      10_000,
      20_000,
      40_000,
      80_000,
      160_000,
      300_000,
      300_000,
      maxBackoffMs,
    ]);
  });

  it('forgets the back-off after a run of 10 minutes', () => {
    expect(crashBackoffMs(6, 600_000)).toBe(0);
  });
});

describe('pullBackoffMs', () => {
  it('grows from 10 s after each failed pull', () => {
    expect([0, 1, 2, 3].map(pullBackoffMs)).toEqual([0, 10_000, 20_000, 40_000]);
  });
});
