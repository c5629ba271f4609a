import { describe, expect, it } from 'vitest';
import { filterOn, info, testCluster, testNode } from '../testing/fixtures';
import { errReasonNodeName, nodeName } from './nodeName';

describe('NodeName', () => {
  const cluster = testCluster([testNode('a'), testNode('b')]);

  it('admits only the node the pod names', () => {
    const pod = info('p', { nodeName: 'a' });
    expect(filterOn(nodeName, pod, cluster, 'a')).toBeUndefined();
    expect(filterOn(nodeName, pod, cluster, 'b')?.reasons).toEqual([errReasonNodeName]);
  });

  it('has no say for pods without a node name', () => {
    expect(nodeName.preFilter(info('p'), cluster)).toBeUndefined();
  });
});
