import { describe, expect, it } from 'vitest';
import { filterOn, info, scoresOf, testCluster, testNode } from '../testing/fixtures';
import { errReasonNodeAffinity, nodeAffinityFilter, nodeAffinityScore } from './nodeAffinity';

describe('NodeAffinity', () => {
  const cluster = testCluster([
    testNode('ssd-a', { labels: { disk: 'ssd', zone: 'a' } }),
    testNode('hdd-b', { labels: { disk: 'hdd', zone: 'b' } }),
    testNode('ssd-b', { labels: { disk: 'ssd', zone: 'b' } }),
  ]);

  it('rejects nodes that miss the nodeSelector or required node affinity', () => {
    const pod = info('p', {
      nodeSelector: { disk: 'ssd' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }],
          },
        },
      },
    });
    expect(filterOn(nodeAffinityFilter, pod, cluster, 'ssd-b')).toBeUndefined();
    expect(filterOn(nodeAffinityFilter, pod, cluster, 'ssd-a')).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: [errReasonNodeAffinity],
    });
    expect(filterOn(nodeAffinityFilter, pod, cluster, 'hdd-b')?.reasons).toEqual([errReasonNodeAffinity]);
  });

  it('scores preferred terms by weight, scaled to the best node', () => {
    const pod = info('p', {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 80,
              preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] },
            },
            {
              weight: 20,
              preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
            },
          ],
        },
      },
    });
    expect(scoresOf(nodeAffinityScore, pod, cluster)).toEqual({ 'ssd-a': 80, 'hdd-b': 20, 'ssd-b': 100 });
    expect(scoresOf(nodeAffinityScore, info('plain'), cluster)).toBeUndefined();
  });
});
