import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { PodBackoffStore, remainingBackoffMs } from './podBackoff';

function finished(at: string): V1Pod {
  return {
    metadata: { name: at },
    status: {
      containerStatuses: [
        {
          name: 'c',
          image: 'i',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: 1, finishedAt: new Date(at) } },
        },
      ],
    },
  };
}

describe('pod failure back-off', () => {
  const base = 10_000;
  const max = 360_000;

  it('doubles from the base delay per failure since the last success, up to the cap', () => {
    const last = Date.parse('2026-01-01T00:00:00Z');
    const delay = (failures: number) =>
      remainingBackoffMs({ failuresAfterLastSuccess: failures, lastFailureTime: last }, last, base, max);
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(delay)).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 360_000, 360_000,
    ]);
    expect(
      remainingBackoffMs({ failuresAfterLastSuccess: 2, lastFailureTime: last }, last + 15_000, base, max),
    ).toBe(5000);
    expect(remainingBackoffMs({ failuresAfterLastSuccess: 0 }, last, base, max)).toBe(0);
  });

  it('counts new failures, remembers the latest one, and resets on a success', () => {
    const store = new PodBackoffStore();
    const first = store.next(
      'ns/j',
      [],
      [finished('2026-01-01T00:00:05Z'), finished('2026-01-01T00:00:02Z')],
    );
    expect(first).toEqual({
      failuresAfterLastSuccess: 2,
      lastFailureTime: Date.parse('2026-01-01T00:00:05Z'),
    });
    store.set('ns/j', first);
    expect(store.next('ns/j', [], [finished('2026-01-01T00:00:09Z')]).failuresAfterLastSuccess).toBe(3);
    const afterSuccess = store.next(
      'ns/j',
      [finished('2026-01-01T00:00:10Z')],
      [finished('2026-01-01T00:00:12Z'), finished('2026-01-01T00:00:08Z')],
    );
    expect(afterSuccess).toEqual({
      failuresAfterLastSuccess: 1,
      lastFailureTime: Date.parse('2026-01-01T00:00:12Z'),
    });
  });
});
