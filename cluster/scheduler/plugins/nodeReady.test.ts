import { describe, expect, it } from 'vitest';
import { filterOn, info, testCluster, testNode } from '../testing/fixtures';
import { errReasonNotReady, nodeReady } from './nodeReady';

describe('NodeReady', () => {
  it('rejects a node whose Ready condition is not True', () => {
    const cluster = testCluster([testNode('up'), testNode('down', { ready: false })]);
    expect(filterOn(nodeReady, info('p'), cluster, 'up')).toBeUndefined();
    expect(filterOn(nodeReady, info('p'), cluster, 'down')).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: [errReasonNotReady],
    });
  });

  it('leaves a node tainted not-ready to TaintToleration, and admits pods tolerating not-ready', () => {
    const tainted = testNode('tainted', {
      ready: false,
      taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }],
    });
    const cluster = testCluster([tainted, testNode('down', { ready: false })]);
    expect(filterOn(nodeReady, info('p'), cluster, 'tainted')).toBeUndefined();
    const tolerant = info('ds', {
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }],
    });
    expect(filterOn(nodeReady, tolerant, cluster, 'down')).toBeUndefined();
  });
});
