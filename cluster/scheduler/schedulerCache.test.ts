import { describe, expect, it } from 'vitest';
import { podInfo } from './podInfo';
import { testCluster, testNode, testPod } from './testing/fixtures';

describe('scheduler cache', () => {
  it('adds the requests of bound pods to their node', () => {
    const cache = testCluster(
      [testNode('n1')],
      [testPod('a', { nodeName: 'n1', requests: { cpu: '250m', memory: '1Gi' } })],
    );
    const node = cache.nodeInfo('n1');
    expect(node?.requested.milliCpu).toBe(250);
    expect(node?.requested.memory).toBe(1024 ** 3);
    expect(node?.pods.size).toBe(1);
  });

  it('counts an assumed pod until its binding shows, then keeps the confirmed one', () => {
    const cache = testCluster([testNode('n1')]);
    const pod = testPod('a', { requests: { cpu: '1' } });
    cache.assume(podInfo(pod), 'n1');
    expect(cache.isAssumed('uid-default-a')).toBe(true);
    expect(cache.nodeInfo('n1')?.requested.milliCpu).toBe(1000);
    cache.addPod({ ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], nodeName: 'n1' } });
    expect(cache.isAssumed('uid-default-a')).toBe(false);
    expect(cache.nodeInfo('n1')?.requested.milliCpu).toBe(1000);
    cache.forget('uid-default-a');
    expect(cache.nodeInfo('n1')?.pods.size).toBe(1);
  });

  it('releases a forgotten assumption', () => {
    const cache = testCluster([testNode('n1')]);
    cache.assume(podInfo(testPod('a', { requests: { cpu: '1' } })), 'n1');
    cache.forget('uid-default-a');
    expect(cache.nodeInfo('n1')?.requested.milliCpu).toBe(0);
  });

  it('keeps pods of a deleted node until they go, without listing the node', () => {
    const cache = testCluster([testNode('n1'), testNode('n2')], [testPod('a', { nodeName: 'n1' })]);
    cache.removeNode('n1');
    expect(cache.nodes.map((n) => n.name)).toEqual(['n2']);
    cache.setNode(testNode('n1'));
    expect(cache.nodeInfo('n1')?.pods.size).toBe(1);
  });

  it('tallies node states and images, and tracks nodes with affinity pods', () => {
    const cache = testCluster(
      [
        testNode('n1', { unschedulable: true, images: [{ names: ['nginx:latest'], sizeBytes: 1 }] }),
        testNode('n2', { ready: false, images: [{ names: ['nginx:latest'], sizeBytes: 1 }] }),
      ],
      [
        testPod('anti', {
          nodeName: 'n2',
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: { matchLabels: { a: 'b' } }, topologyKey: 'zone' },
              ],
            },
          },
        }),
      ],
    );
    expect(cache.tally).toMatchObject({ cordoned: 1, notReady: 1 });
    expect(cache.imageNodeCount('nginx:latest')).toBe(2);
    expect([...cache.nodesWithRequiredAntiAffinityPods()].map((n) => n.name)).toEqual(['n2']);
    cache.removePod('uid-default-anti');
    expect([...cache.nodesWithAffinityPods()]).toEqual([]);
    cache.setNode(testNode('n1'));
    expect(cache.tally.cordoned).toBe(0);
  });
});
