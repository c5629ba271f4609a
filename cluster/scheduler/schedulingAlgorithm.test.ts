import { describe, expect, it } from 'vitest';
import { numFeasibleNodesToFind, SchedulingAlgorithm } from './schedulingAlgorithm';
import { emptyClusterProfile, info, testCluster, testNode, testPod } from './testing/fixtures';

describe('scheduling algorithm', () => {
  it('looks at a share of large clusters, as percentageOfNodesToScore does', () => {
    expect(numFeasibleNodesToFind(50)).toBe(50);
    expect(numFeasibleNodesToFind(1000)).toBe(420);
    expect(numFeasibleNodesToFind(5000)).toBe(500);
    expect(numFeasibleNodesToFind(150)).toBe(100);
    expect(numFeasibleNodesToFind(1000, 10)).toBe(100);
  });

  it('picks the best-scoring feasible node', () => {
    const cluster = testCluster(
      [testNode('busy'), testNode('idle'), testNode('small', { cpu: '100m' })],
      [testPod('x', { nodeName: 'busy', requests: { cpu: '3', memory: '6Gi' } })],
    );
    const result = new SchedulingAlgorithm(emptyClusterProfile).schedule(
      info('p', { requests: { cpu: '500m' } }),
      cluster,
    );
    expect(result).toMatchObject({ kind: 'scheduled', feasibleNodes: 2, evaluatedNodes: 3 });
    expect(result.kind === 'scheduled' && result.node.name).toBe('idle');
  });

  it('reports the first rejecting filter of every node when none fits', () => {
    const cluster = testCluster([
      testNode('cordoned', { unschedulable: true, cpu: '1' }),
      testNode('small', { cpu: '1' }),
    ]);
    const result = new SchedulingAlgorithm(emptyClusterProfile).schedule(
      info('p', { requests: { cpu: '2' } }),
      cluster,
    );
    if (result.kind !== 'unschedulable') throw new Error(`expected unschedulable, got ${result.kind}`);
    const reasons = [...result.diagnosis.statuses].map(([node, status]) => [node.name, status.reasons]);
    expect(reasons).toEqual([
      ['cordoned', ['node(s) were unschedulable']],
      ['small', ['Insufficient cpu']],
    ]);
    expect([...result.diagnosis.rejectedBy].sort()).toEqual(['NodeResourcesFit', 'NodeUnschedulable']);
  });

  it('continues where the last pod stopped and stops once enough nodes fit', () => {
    const nodes = Array.from({ length: 200 }, (_, i) => testNode(`n${i}`));
    const algorithm = new SchedulingAlgorithm(emptyClusterProfile, { percentageOfNodesToScore: 10 });
    const cluster = testCluster(nodes);
    const first = algorithm.schedule(info('a'), cluster);
    const second = algorithm.schedule(info('b'), cluster);
    expect(first).toMatchObject({ evaluatedNodes: 100, feasibleNodes: 100 });
    // The second pod looks at the next window of nodes, n100..n199.
    expect(second.kind === 'scheduled' && Number(second.node.name.slice(1))).toBeGreaterThanOrEqual(100);
  });

  it('says so when there are no nodes', () => {
    expect(new SchedulingAlgorithm(emptyClusterProfile).schedule(info('p'), testCluster([])).kind).toBe(
      'noNodes',
    );
  });
});
