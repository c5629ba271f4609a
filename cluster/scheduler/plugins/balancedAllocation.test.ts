import { describe, expect, it } from 'vitest';
import { info, scoresOf, testCluster, testNode, testPod } from '../testing/fixtures';
import { balancedAllocationScore } from './balancedAllocation';

describe('NodeResourcesBalancedAllocation', () => {
  it('favours the node where cpu and memory end up used in equal shares', () => {
    const cluster = testCluster(
      [testNode('cpu-heavy', { cpu: '4', memory: '4Gi' }), testNode('even', { cpu: '4', memory: '4Gi' })],
      [
        testPod('hog', { nodeName: 'cpu-heavy', requests: { cpu: '3' } }),
        testPod('half', { nodeName: 'even', requests: { cpu: '1', memory: '1Gi' } }),
      ],
    );
    // cpu-heavy: cpu 4/4, memory 1/4 → std 0.375 → 62; even: 2/4 and 2/4 → 100.
    expect(
      scoresOf(balancedAllocationScore, info('p', { requests: { cpu: '1', memory: '1Gi' } }), cluster),
    ).toEqual({
      'cpu-heavy': 62,
      even: 100,
    });
  });

  it('skips best-effort pods', () => {
    expect(scoresOf(balancedAllocationScore, info('p'), testCluster([testNode('a')]))).toBeUndefined();
  });
});
