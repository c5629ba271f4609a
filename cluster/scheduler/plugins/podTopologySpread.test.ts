import type { V1TopologySpreadConstraint } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podInfo } from '../podInfo';
import { filterOn, info, scoresOf, testCluster, testNode, testPod } from '../testing/fixtures';
import { defaultSpreadSelector } from './defaultSpreadSelector';
import {
  errReasonConstraintsNotMatch,
  errReasonNodeLabelNotMatch,
  podTopologySpreadFilter,
} from './podTopologySpread';
import { podTopologySpreadScore } from './podTopologySpreadScore';

const nodes = [
  testNode('a1', { labels: { zone: 'a' } }),
  testNode('a2', { labels: { zone: 'a' } }),
  testNode('b1', { labels: { zone: 'b' } }),
  testNode('nozone'),
];
const web = (name: string, nodeName: string) => testPod(name, { nodeName, labels: { app: 'web' } });
const spread = (
  whenUnsatisfiable: string,
  extra: Partial<V1TopologySpreadConstraint> = {},
): V1TopologySpreadConstraint => ({
  maxSkew: 1,
  topologyKey: 'zone',
  whenUnsatisfiable,
  labelSelector: { matchLabels: { app: 'web' } },
  ...extra,
});
const noDefaults = () => undefined;

describe('PodTopologySpread filter', () => {
  const filter = podTopologySpreadFilter(noDefaults);

  it('rejects domains that would exceed maxSkew over the least crowded domain', () => {
    const cluster = testCluster(nodes, [web('w1', 'a1'), web('w2', 'a2')]);
    const pod = info('w3', { labels: { app: 'web' }, topologySpreadConstraints: [spread('DoNotSchedule')] });
    expect(filterOn(filter, pod, cluster, 'a1')).toMatchObject({
      code: 'Unschedulable',
      reasons: [errReasonConstraintsNotMatch],
    });
    expect(filterOn(filter, pod, cluster, 'b1')).toBeUndefined();
    expect(filterOn(filter, pod, cluster, 'nozone')).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: [errReasonNodeLabelNotMatch],
    });
  });

  it('treats the minimum as zero while fewer than minDomains domains exist', () => {
    const cluster = testCluster(nodes, [web('w1', 'a1'), web('w2', 'b1')]);
    const pod = info('w3', {
      labels: { app: 'web' },
      topologySpreadConstraints: [spread('DoNotSchedule', { minDomains: 3 })],
    });
    expect(filterOn(filter, pod, cluster, 'a2')).toBeDefined();
    expect(filterOn(filter, pod, cluster, 'b1')).toBeDefined();
  });

  it('ignores ScheduleAnyway constraints when filtering', () => {
    const cluster = testCluster(nodes, [web('w1', 'a1'), web('w2', 'a2')]);
    expect(
      filter.preFilter(
        info('w3', { labels: { app: 'web' }, topologySpreadConstraints: [spread('ScheduleAnyway')] }),
        cluster,
      ),
    ).toBeUndefined();
  });
});

describe('PodTopologySpread score', () => {
  it('favours the domain with fewer matching pods for ScheduleAnyway constraints', () => {
    const cluster = testCluster(nodes.slice(0, 3), [web('w1', 'a1'), web('w2', 'a2')]);
    const pod = info('w3', { labels: { app: 'web' }, topologySpreadConstraints: [spread('ScheduleAnyway')] });
    // Raw: zone a 2×log(4) ≈ 3 → a1, a2 score 3; zone b 0 → 0; normalized 100×(3+0−s)/3.
    expect(scoresOf(podTopologySpreadScore(noDefaults), pod, cluster)).toEqual({ a1: 0, a2: 0, b1: 100 });
  });

  it('spreads pods of a ReplicaSet by hostname with the system defaults', () => {
    const rsPod = (name: string, nodeName?: string) => {
      const pod = testPod(name, { labels: { app: 'web' }, ...(nodeName ? { nodeName } : {}) });
      pod.metadata = {
        ...pod.metadata,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-rs', uid: 'rs', controller: true },
        ],
      };
      return pod;
    };
    const cluster = testCluster(nodes.slice(0, 3), [rsPod('w1', 'a1'), rsPod('w2', 'a1'), rsPod('w3', 'b1')]);
    const plugin = podTopologySpreadScore(
      defaultSpreadSelector({
        servicesIn: () => [],
        replicaSet: (_ns, name) =>
          name === 'web-rs' ? { spec: { selector: { matchLabels: { app: 'web' } } } } : undefined,
        statefulSet: () => undefined,
      }),
    );
    // hostname, maxSkew 3, weight log(3 + 2): raw a1 2×1.61+2 → 5, a2 → 2, b1 → 4; 100×(5+2−s)/5.
    expect(scoresOf(plugin, podInfo(rsPod('w4')), cluster)).toEqual({ a1: 40, a2: 100, b1: 60 });
    expect(scoresOf(plugin, info('loose', { labels: { app: 'web' } }), cluster)).toBeUndefined();
  });
});
