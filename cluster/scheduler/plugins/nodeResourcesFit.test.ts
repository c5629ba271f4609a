import { describe, expect, it } from 'vitest';
import { filterOn, info, scoresOf, testCluster, testNode, testPod } from '../testing/fixtures';
import { errReasonTooManyPods, leastAllocatedScore, nodeResourcesFitFilter } from './nodeResourcesFit';

describe('NodeResourcesFit', () => {
  const cluster = testCluster(
    [testNode('busy', { cpu: '2', memory: '4Gi', pods: '2' }), testNode('idle', { cpu: '2', memory: '4Gi' })],
    [testPod('running', { nodeName: 'busy', requests: { cpu: '1500m', memory: '3Gi' } })],
  );

  it('fits a pod in what is left of allocatable', () => {
    expect(
      filterOn(
        nodeResourcesFitFilter,
        info('p', { requests: { cpu: '500m', memory: '1Gi' } }),
        cluster,
        'busy',
      ),
    ).toBeUndefined();
  });

  it('lists every insufficient resource, resolvable by preemption while the node could hold the pod', () => {
    const pod = info('p', { requests: { cpu: '1', memory: '2Gi' } });
    expect(filterOn(nodeResourcesFitFilter, pod, cluster, 'busy')).toEqual({
      plugin: 'NodeResourcesFit',
      code: 'Unschedulable',
      reasons: ['Insufficient cpu', 'Insufficient memory'],
    });
  });

  it('is unresolvable when the request exceeds the whole node', () => {
    const pod = info('p', { requests: { memory: '1Ti' } });
    expect(filterOn(nodeResourcesFitFilter, pod, cluster, 'idle')).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: ['Insufficient memory'],
    });
  });

  it('counts pods against the allowed pod number, and extended resources against allocatable', () => {
    const full = testCluster([testNode('one', { pods: '1' })], [testPod('x', { nodeName: 'one' })]);
    expect(filterOn(nodeResourcesFitFilter, info('p'), full, 'one')?.reasons).toEqual([errReasonTooManyPods]);
    expect(
      filterOn(nodeResourcesFitFilter, info('gpu', { requests: { 'example.com/gpu': '1' } }), cluster, 'idle')
        ?.reasons,
    ).toEqual(['Insufficient example.com/gpu']);
  });

  it('scores the node with more room left higher (LeastAllocated over non-zero requests)', () => {
    const scores = scoresOf(
      leastAllocatedScore,
      info('p', { requests: { cpu: '200m', memory: '512Mi' } }),
      cluster,
    );
    // busy: cpu (1500+200)/2000 → 15, memory (3Gi+512Mi)/4Gi → 12; idle: 90 and 87.
    expect(scores).toEqual({ busy: 13, idle: 88 });
  });
});
