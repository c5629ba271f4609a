import { describe, expect, it } from 'vitest';
import { filterOn, info, scoresOf, testCluster, testNode } from '../testing/fixtures';
import { taintTolerationFilter, taintTolerationScore } from './taintToleration';

describe('TaintToleration', () => {
  it('rejects a node with an untolerated NoSchedule or NoExecute taint, naming it', () => {
    const cluster = testCluster([
      testNode('gpu', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
      testNode('master', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoExecute' }] }),
    ]);
    expect(filterOn(taintTolerationFilter, info('p'), cluster, 'gpu')).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint {dedicated: gpu}'],
    });
    expect(filterOn(taintTolerationFilter, info('p'), cluster, 'master')?.reasons).toEqual([
      'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
    ]);
    const tolerant = info('t', {
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
    });
    expect(filterOn(taintTolerationFilter, tolerant, cluster, 'gpu')).toBeUndefined();
  });

  it('ignores PreferNoSchedule taints when filtering and scores nodes with fewer of them higher', () => {
    const soft = (key: string) => ({ key, effect: 'PreferNoSchedule' });
    const cluster = testCluster([
      testNode('clean'),
      testNode('one', { taints: [soft('a')] }),
      testNode('two', { taints: [soft('a'), soft('b')] }),
    ]);
    expect(filterOn(taintTolerationFilter, info('p'), cluster, 'two')).toBeUndefined();
    expect(scoresOf(taintTolerationScore, info('p'), cluster)).toEqual({ clean: 100, one: 50, two: 0 });
    const tolerant = info('t', {
      tolerations: [{ key: 'a', operator: 'Exists', effect: 'PreferNoSchedule' }],
    });
    expect(scoresOf(taintTolerationScore, tolerant, cluster)).toEqual({ clean: 100, one: 100, two: 0 });
  });

  it('skips scoring when no node has PreferNoSchedule taints', () => {
    expect(scoresOf(taintTolerationScore, info('p'), testCluster([testNode('a')]))).toBeUndefined();
  });
});
