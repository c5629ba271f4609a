import { describe, expect, it } from 'vitest';
import { filterOn, info, testCluster, testNode } from '../testing/fixtures';
import { errReasonUnschedulable, nodeUnschedulable } from './nodeUnschedulable';

describe('NodeUnschedulable', () => {
  const cluster = testCluster([testNode('open'), testNode('cordoned', { unschedulable: true })]);

  it('rejects cordoned nodes', () => {
    expect(filterOn(nodeUnschedulable, info('p'), cluster, 'open')).toBeUndefined();
    expect(filterOn(nodeUnschedulable, info('p'), cluster, 'cordoned')).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: [errReasonUnschedulable],
    });
  });

  it('admits pods that tolerate the unschedulable taint', () => {
    const tolerant = info('ds', {
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(filterOn(nodeUnschedulable, tolerant, cluster, 'cordoned')).toBeUndefined();
  });
});
