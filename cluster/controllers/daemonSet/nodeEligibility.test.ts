import type { V1DaemonSet, V1Node, V1PodSpec, V1Taint } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { newDaemonPod, pinToNode, targetNodeName, withDaemonTolerations } from './daemonPods';
import { nodeShouldRunDaemonPod, toleratesTaint } from './nodeEligibility';

function node(name: string, labels: Record<string, string> = {}, taints: V1Taint[] = []): V1Node {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { taints } };
}

function daemonSet(spec: Partial<V1PodSpec> = {}): V1DaemonSet {
  return {
    metadata: { name: 'agent', namespace: 'kube-system', uid: 'uid-agent' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [{ name: 'a', image: 'agent:1' }], ...spec },
      },
    },
  };
}

describe('tolerations', () => {
  it('match by effect, key, operator and value', () => {
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    expect(
      toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint),
    ).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'cpu' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
    expect(toleratesTaint({ operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'other', operator: 'Exists' }, taint)).toBe(false);
  });

  it('include the DaemonSet defaults, replacing a user toleration they match', () => {
    const spec = withDaemonTolerations({
      containers: [],
      hostNetwork: true,
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
    });
    expect(spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });
});

describe('which nodes run a daemon pod', () => {
  it('follows nodeSelector and required node affinity', () => {
    const selected = daemonSet({ nodeSelector: { disk: 'ssd' } });
    expect(nodeShouldRunDaemonPod(node('a', { disk: 'ssd' }), selected).shouldRun).toBe(true);
    expect(nodeShouldRunDaemonPod(node('b', { disk: 'hdd' }), selected)).toEqual({
      shouldRun: false,
      shouldContinueRunning: false,
    });

    const affinity = daemonSet({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'zone', operator: 'In', values: ['z1'] },
                  { key: 'cores', operator: 'Gt', values: ['4'] },
                ],
              },
              { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['special'] }] },
            ],
          },
        },
      },
    });
    expect(nodeShouldRunDaemonPod(node('a', { zone: 'z1', cores: '8' }), affinity).shouldRun).toBe(true);
    expect(nodeShouldRunDaemonPod(node('b', { zone: 'z1', cores: '2' }), affinity).shouldRun).toBe(false);
    expect(nodeShouldRunDaemonPod(node('c', { zone: 'z2', cores: '8' }), affinity).shouldRun).toBe(false);
    expect(nodeShouldRunDaemonPod(node('special'), affinity).shouldRun).toBe(true);
  });

  it('keeps off untolerated taints, but lets a pod stay through NoSchedule ones', () => {
    const ds = daemonSet();
    const noSchedule = node('a', {}, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    expect(nodeShouldRunDaemonPod(noSchedule, ds)).toEqual({ shouldRun: false, shouldContinueRunning: true });
    const noExecute = node('b', {}, [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]);
    expect(nodeShouldRunDaemonPod(noExecute, ds)).toEqual({ shouldRun: false, shouldContinueRunning: false });
    const tolerant = daemonSet({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
    expect(nodeShouldRunDaemonPod(noExecute, tolerant).shouldRun).toBe(true);
    expect(
      nodeShouldRunDaemonPod(node('c', {}, [{ key: 'x', effect: 'PreferNoSchedule' }]), ds).shouldRun,
    ).toBe(true);
  });

  it('still runs on cordoned, not-ready and pressured nodes', () => {
    const ds = daemonSet();
    for (const taint of [
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' },
    ]) {
      expect(nodeShouldRunDaemonPod(node('a', {}, [taint]), ds).shouldRun).toBe(true);
    }
  });

  it('honours a template nodeName', () => {
    const pinned = daemonSet({ nodeName: 'a' });
    expect(nodeShouldRunDaemonPod(node('a'), pinned).shouldRun).toBe(true);
    expect(nodeShouldRunDaemonPod(node('b'), pinned).shouldRun).toBe(false);
  });
});

describe('daemon pods', () => {
  it('are pinned to their node by required affinity, keeping preferred terms', () => {
    const preferred = [
      { weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] } },
    ];
    const ds = daemonSet({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }],
          },
          preferredDuringSchedulingIgnoredDuringExecution: preferred,
        },
      },
    });
    const pod = newDaemonPod(ds, 'node-1', 'abc');
    expect(pod.metadata).toMatchObject({
      generateName: 'agent-',
      namespace: 'kube-system',
      labels: { app: 'agent', 'controller-revision-hash': 'abc' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'uid-agent', controller: true },
      ],
    });
    expect(pod.spec?.affinity?.nodeAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }],
      },
      preferredDuringSchedulingIgnoredDuringExecution: preferred,
    });
    expect(pod.spec?.tolerations).toHaveLength(6);
    expect(targetNodeName(pod)).toBe('node-1');
    expect(targetNodeName({ ...pod, spec: { ...pod.spec, containers: [], nodeName: 'node-2' } })).toBe(
      'node-2',
    );
    expect(
      pinToNode(undefined, 'n').nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    ).toBeUndefined();
  });
});
