import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { conditionTaints, reconcileTaints, taintKeys } from './nodeTaints';

const node = (conditions: Record<string, string>, unschedulable = false): V1Node => ({
  metadata: { name: 'n' },
  spec: { unschedulable },
  status: { conditions: Object.entries(conditions).map(([type, status]) => ({ type, status })) },
});
const now = new Date('2026-01-01T00:00:00Z');

describe('node taints', () => {
  it('taints a node by its Ready condition: False is not-ready, Unknown is unreachable', () => {
    expect(conditionTaints(node({ Ready: 'True' }))).toEqual([]);
    expect(conditionTaints(node({ Ready: 'False' }))).toEqual([
      { key: taintKeys.notReady, effect: 'NoSchedule' },
      { key: taintKeys.notReady, effect: 'NoExecute' },
    ]);
    expect(conditionTaints(node({ Ready: 'Unknown' })).map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
  });

  it('keeps new pods off nodes under pressure and off cordoned nodes', () => {
    expect(conditionTaints(node({ Ready: 'True', DiskPressure: 'True' }, true))).toEqual([
      { key: taintKeys.diskPressure, effect: 'NoSchedule' },
      { key: taintKeys.unschedulable, effect: 'NoSchedule' },
    ]);
  });

  it('stamps NoExecute taints with timeAdded and leaves taints it does not own alone', () => {
    const other = { key: 'dedicated', value: 'db', effect: 'NoExecute' };
    const next = reconcileTaints([other], conditionTaints(node({ Ready: 'Unknown' })), now);
    expect(next).toEqual([
      other,
      { key: taintKeys.unreachable, effect: 'NoSchedule' },
      { key: taintKeys.unreachable, effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' },
    ]);
    expect(reconcileTaints(next, conditionTaints(node({ Ready: 'Unknown' })), now)).toBeUndefined();
    expect(reconcileTaints(next, [], now)).toEqual([other]);
  });

  it('can hold back new NoExecute taints while still removing stale ones', () => {
    const unreachable = conditionTaints(node({ Ready: 'Unknown' }));
    expect(reconcileTaints([], unreachable, now, { addNoExecute: false })).toEqual([
      { key: taintKeys.unreachable, effect: 'NoSchedule' },
    ]);
    const stale = [{ key: taintKeys.notReady, effect: 'NoExecute' }];
    expect(reconcileTaints(stale, [], now, { addNoExecute: false })).toEqual([]);
  });
});
