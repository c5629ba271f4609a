import type { V1Affinity } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { filterOn, info, testCluster, testNode, testPod } from '../testing/fixtures';
import {
  errReasonAffinityRulesNotMatch,
  errReasonAntiAffinityRulesNotMatch,
  errReasonExistingAntiAffinityRulesNotMatch,
  interPodAffinityFilter,
} from './interPodAffinity';

const term = (labels: Record<string, string>, topologyKey: string) => ({
  labelSelector: { matchLabels: labels },
  topologyKey,
});

const nodes = [
  testNode('a1', { labels: { zone: 'a' } }),
  testNode('a2', { labels: { zone: 'a' } }),
  testNode('b1', { labels: { zone: 'b' } }),
  testNode('nozone'),
];

describe('InterPodAffinity filter', () => {
  it('requires a matching pod in the same topology domain', () => {
    const cluster = testCluster(nodes, [testPod('cache', { nodeName: 'a1', labels: { app: 'cache' } })]);
    const affinity: V1Affinity = {
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'cache' }, 'zone')] },
    };
    const pod = info('web', { affinity });
    expect(filterOn(interPodAffinityFilter, pod, cluster, 'a2')).toBeUndefined();
    expect(filterOn(interPodAffinityFilter, pod, cluster, 'b1')).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: [errReasonAffinityRulesNotMatch],
    });
    expect(filterOn(interPodAffinityFilter, pod, cluster, 'nozone')?.reasons).toEqual([
      errReasonAffinityRulesNotMatch,
    ]);
  });

  it('lets the first pod of a self-affine group go anywhere its topology key exists', () => {
    const cluster = testCluster(nodes);
    const pod = info('first', {
      labels: { app: 'db' },
      affinity: {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, 'zone')] },
      },
    });
    expect(filterOn(interPodAffinityFilter, pod, cluster, 'b1')).toBeUndefined();
    expect(filterOn(interPodAffinityFilter, pod, cluster, 'nozone')).toBeDefined();
  });

  it('keeps a pod out of domains holding pods its anti-affinity selects', () => {
    const cluster = testCluster(nodes, [testPod('web-1', { nodeName: 'a1', labels: { app: 'web' } })]);
    const pod = info('web-2', {
      labels: { app: 'web' },
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, 'kubernetes.io/hostname')],
        },
      },
    });
    expect(filterOn(interPodAffinityFilter, pod, cluster, 'a1')).toMatchObject({
      code: 'Unschedulable',
      reasons: [errReasonAntiAffinityRulesNotMatch],
    });
    expect(filterOn(interPodAffinityFilter, pod, cluster, 'a2')).toBeUndefined();
  });

  it("honours running pods' anti-affinity against the incoming pod", () => {
    const loner = testPod('loner', {
      nodeName: 'a1',
      affinity: {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'noisy' }, 'zone')] },
      },
    });
    const cluster = testCluster(nodes, [loner]);
    const noisy = info('noisy', { labels: { app: 'noisy' } });
    expect(filterOn(interPodAffinityFilter, noisy, cluster, 'a2')).toMatchObject({
      code: 'Unschedulable',
      reasons: [errReasonExistingAntiAffinityRulesNotMatch],
    });
    expect(filterOn(interPodAffinityFilter, noisy, cluster, 'b1')).toBeUndefined();
    expect(
      interPodAffinityFilter.preFilter(info('quiet', { labels: { app: 'quiet' } }), cluster),
    ).toBeUndefined();
  });

  it('looks only in the namespaces a term names or selects', () => {
    const cluster = testCluster(
      nodes,
      [testPod('cache', { namespace: 'other', nodeName: 'a1', labels: { app: 'cache' } })],
      { other: { team: 'x' } },
    );
    const sameNamespace = info('web', {
      affinity: {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'cache' }, 'zone')] },
      },
    });
    expect(filterOn(interPodAffinityFilter, sameNamespace, cluster, 'a2')).toBeDefined();
    const selected = info('web', {
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { ...term({ app: 'cache' }, 'zone'), namespaceSelector: { matchLabels: { team: 'x' } } },
          ],
        },
      },
    });
    expect(filterOn(interPodAffinityFilter, selected, cluster, 'a2')).toBeUndefined();
  });
});
