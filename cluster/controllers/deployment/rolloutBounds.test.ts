import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { maxSurge, maxUnavailable, resolveFenceposts, scaledValue } from './rolloutBounds';

function rolling(replicas: number, surge?: number | string, unavailable?: number | string): V1Deployment {
  return {
    spec: {
      replicas,
      selector: {},
      template: {},
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
    },
  };
}

describe('rollout bounds', () => {
  it('takes ints as they are and rounds percentages up for surge, down for unavailability', () => {
    expect(scaledValue(3, 10, true)).toBe(3);
    expect(scaledValue('25%', 10, true)).toBe(3);
    expect(scaledValue('25%', 10, false)).toBe(2);
    expect(scaledValue('0%', 10, true)).toBe(0);
    expect(scaledValue('100%', 7, false)).toBe(7);
    expect(scaledValue('33%', 3, true)).toBe(1);
    expect(scaledValue('33%', 3, false)).toBe(0);
  });

  it('rejects strings that are not percentages with apimachinery wording', () => {
    expect(() => scaledValue('3', 10, true)).toThrow(
      'invalid value for IntOrString: invalid type: string is not a percentage',
    );
    expect(() => scaledValue('x%', 10, true)).toThrow(/invalid value "x%"/);
  });

  it('lets one pod be unavailable when both bounds come out zero', () => {
    expect(resolveFenceposts(0, 0, 10)).toEqual([0, 1]);
    expect(resolveFenceposts('10%', '10%', 3)).toEqual([1, 0]);
    expect(resolveFenceposts('1%', '1%', 10)).toEqual([1, 0]);
    expect(resolveFenceposts('0%', '9%', 10)).toEqual([0, 1]);
  });

  it('resolves the defaults of 25% for a 10-replica Deployment to 3 surge and 2 unavailable', () => {
    expect(maxSurge(rolling(10, '25%', '25%'))).toBe(3);
    expect(maxUnavailable(rolling(10, '25%', '25%'))).toBe(2);
    expect(maxSurge(rolling(10, 2, 1))).toBe(2);
    expect(maxUnavailable(rolling(10, 2, 1))).toBe(1);
  });

  it('never allows more unavailable pods than replicas, and none for Recreate or zero replicas', () => {
    expect(maxUnavailable(rolling(2, 0, 5))).toBe(2);
    expect(maxUnavailable(rolling(0, 1, 1))).toBe(0);
    const recreate: V1Deployment = {
      spec: { replicas: 3, selector: {}, template: {}, strategy: { type: 'Recreate' } },
    };
    expect(maxUnavailable(recreate)).toBe(0);
    expect(maxSurge(recreate)).toBe(0);
  });
});
