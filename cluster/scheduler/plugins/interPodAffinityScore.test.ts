import { describe, expect, it } from 'vitest';
import { info, scoresOf, testCluster, testNode, testPod } from '../testing/fixtures';
import { interPodAffinityScore } from './interPodAffinityScore';

const nodes = [
  testNode('a1', { labels: { zone: 'a' } }),
  testNode('a2', { labels: { zone: 'a' } }),
  testNode('b1', { labels: { zone: 'b' } }),
];
const weighted = (weight: number, labels: Record<string, string>, topologyKey: string) => ({
  weight,
  podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey },
});

describe('InterPodAffinity score', () => {
  it('favours domains with pods the preferred affinity selects, and avoids those anti-affinity selects', () => {
    const cluster = testCluster(nodes, [
      testPod('cache', { nodeName: 'a1', labels: { app: 'cache' } }),
      testPod('batch', { nodeName: 'b1', labels: { app: 'batch' } }),
    ]);
    const pod = info('web', {
      affinity: {
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [weighted(10, { app: 'cache' }, 'zone')],
        },
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, { app: 'batch' }, 'zone')],
        },
      },
    });
    // Raw: zone a +10, zone b −5 → rescaled min..max to 0..100.
    expect(scoresOf(interPodAffinityScore, pod, cluster)).toEqual({ a1: 100, a2: 100, b1: 0 });
  });

  it("counts running pods' preferred and required affinity towards the incoming pod", () => {
    const cluster = testCluster(nodes, [
      testPod('fan', {
        nodeName: 'b1',
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'zone' },
            ],
          },
        },
      }),
    ]);
    expect(scoresOf(interPodAffinityScore, info('web', { labels: { app: 'web' } }), cluster)).toEqual({
      a1: 0,
      a2: 0,
      b1: 100,
    });
  });

  it('skips pods no affinity term concerns', () => {
    expect(
      scoresOf(interPodAffinityScore, info('plain'), testCluster(nodes, [testPod('x', { nodeName: 'a1' })])),
    ).toBeUndefined();
  });
});
