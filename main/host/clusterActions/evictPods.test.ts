import { ApiException, type V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { evictPods } from './evictPods';

const pod = (name: string): V1Pod => ({ metadata: { name, namespace: 'shop' } });

const refusal = () =>
  new ApiException(
    429,
    'TooManyRequests',
    JSON.stringify({
      kind: 'Status',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget web needs 2 healthy pods and has 2 currently',
          },
        ],
      },
    }),
    {},
  );

/** A clock that only moves when the evictor sleeps. */
function fakeTime() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe('evicting pods for a drain', () => {
  it('retries an eviction a budget refuses until it is allowed', async () => {
    let refusals = 2;
    const time = fakeTime();
    const result = await evictPods([pod('web-1')], {
      timeoutMs: 60_000,
      ...time,
      evict: async () => {
        if (refusals-- > 0) throw refusal();
      },
    });
    expect(result).toEqual({ evicted: ['shop/web-1'], failed: [] });
    expect(time.now()).toBe(10_000);
  });

  it('reports the budget that still refuses at the deadline', async () => {
    const result = await evictPods([pod('web-1')], {
      timeoutMs: 12_000,
      ...fakeTime(),
      evict: async () => {
        throw refusal();
      },
    });
    expect(result.evicted).toEqual([]);
    expect(result.failed[0]?.pod).toBe('shop/web-1');
    expect(result.failed[0]?.reason).toContain('needs 2 healthy pods');
  });

  it('counts a pod already gone as evicted and does not retry other errors', async () => {
    let calls = 0;
    const result = await evictPods([pod('gone'), pod('broken')], {
      timeoutMs: 60_000,
      ...fakeTime(),
      evict: async (p) => {
        calls += 1;
        if (p.metadata?.name === 'gone')
          throw new ApiException(404, 'NotFound', '{"message":"pods \\"gone\\" not found"}', {});
        throw new ApiException(
          500,
          'Internal',
          '{"message":"This pod has more than one PodDisruptionBudget"}',
          {},
        );
      },
    });
    expect(result.evicted).toEqual(['shop/gone']);
    expect(result.failed).toEqual([
      { pod: 'shop/broken', reason: '500: This pod has more than one PodDisruptionBudget' },
    ]);
    expect(calls).toBe(2);
  });
});
