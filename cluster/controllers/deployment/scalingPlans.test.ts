import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  maxOldScaleDown,
  newReplicaSetReplicas,
  oldScaleDowns,
  planScale,
  unhealthyCleanups,
} from './scalingPlans';

function deployment(replicas: number, surge: number | string, unavailable: number | string): V1Deployment {
  return {
    metadata: { name: 'web' },
    spec: {
      replicas,
      selector: {},
      template: {},
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
    },
  };
}

let second = 0;
function rs(
  name: string,
  replicas: number,
  available = replicas,
  annotations: Record<string, string> = {},
): V1ReplicaSet {
  second++;
  return {
    metadata: {
      name,
      uid: name,
      creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, second)) as unknown as Date,
      annotations,
    },
    spec: { replicas, selector: {} },
    status: { replicas, availableReplicas: available },
  };
}

const sizes = (targets: { rs: V1ReplicaSet; replicas: number }[]) =>
  Object.fromEntries(targets.map((t) => [t.rs.metadata?.name, t.replicas]));

describe('rolling update plans', () => {
  it('grows the new ReplicaSet into the surge room, never past the Deployment size', () => {
    const d = deployment(10, 2, 1);
    const old = rs('old', 10);
    const fresh = rs('new', 0);
    expect(newReplicaSetReplicas(d, [old, fresh], fresh)).toBe(2);
    const grown = rs('new', 2, 0);
    expect(newReplicaSetReplicas(d, [rs('old', 9), grown], grown)).toBe(3);
    expect(newReplicaSetReplicas(d, [rs('old', 10), grown], grown)).toBe(2);
    const almost = rs('new', 9);
    expect(newReplicaSetReplicas(d, [rs('old', 0), almost], almost)).toBe(10);
  });

  it('leaves surge room taken while an old ReplicaSet still runs the pods of its scale-down', () => {
    const d = deployment(10, 2, 1);
    const grown = rs('new', 2, 0);
    // Scaled 10 → 9 by the Deployment; its controller has not deleted the pod yet.
    const shrinking = rs('old', 9);
    shrinking.status = { replicas: 10, availableReplicas: 10 };
    expect(newReplicaSetReplicas(d, [shrinking, grown], grown)).toBe(2);
    shrinking.status = { replicas: 9, availableReplicas: 9 };
    expect(newReplicaSetReplicas(d, [shrinking, grown], grown)).toBe(3);
  });

  it('scales the new ReplicaSet straight to size for Recreate', () => {
    const d: V1Deployment = {
      spec: { replicas: 4, selector: {}, template: {}, strategy: { type: 'Recreate' } },
    };
    const fresh = rs('new', 0);
    expect(newReplicaSetReplicas(d, [fresh], fresh)).toBe(4);
  });

  it('takes old pods away only down to replicas - maxUnavailable, counting unavailable new pods', () => {
    const d = deployment(10, 2, 1);
    const fresh = rs('new', 2, 0);
    const old = rs('old', 10);
    // 12 pods, 9 must stay available, 2 new ones are not: 1 old pod may go.
    expect(maxOldScaleDown(d, [old, fresh], fresh)).toBe(1);
    expect(sizes(oldScaleDowns(d, [old, fresh], [old]))).toEqual({ old: 9 });
    const ready = rs('new', 2, 2);
    expect(maxOldScaleDown(d, [old, ready], ready)).toBe(3);
    expect(sizes(oldScaleDowns(d, [old, ready], [old]))).toEqual({ old: 7 });
  });

  it('removes unhealthy old pods first, oldest ReplicaSet first', () => {
    const older = rs('older', 3, 1);
    const old = rs('old', 4, 2);
    expect(sizes(unhealthyCleanups([old, older], 3))).toEqual({ older: 1, old: 3 });
    expect(unhealthyCleanups([rs('fine', 3, 3)], 5)).toEqual([]);
  });

  it('does not trust availability a ReplicaSet reports beyond its size', () => {
    const d = deployment(10, 2, 1);
    // Just scaled from 10 to 9; its controller has not yet written status.
    const old = rs('old', 9, 10);
    const fresh = rs('new', 3, 0);
    expect(unhealthyCleanups([old], 5)).toEqual([]);
    expect(oldScaleDowns(d, [old, fresh], [old])).toEqual([]);
  });
});

describe('proportional scaling', () => {
  it('gives the Deployment size to the only active ReplicaSet', () => {
    const d = deployment(5, 1, 0);
    const only = rs('only', 3);
    expect(sizes(planScale(d, only, [rs('empty', 0)]).sized)).toEqual({ only: 5 });
    expect(planScale(deployment(3, 1, 0), only, []).sized).toEqual([]);
  });

  it('drains old ReplicaSets once the new one is saturated', () => {
    const d = deployment(3, 1, 0);
    const full = rs('new', 3, 3, { 'deployment.kubernetes.io/desired-replicas': '3' });
    expect(sizes(planScale(d, full, [rs('old', 1)]).sized)).toEqual({ old: 0 });
  });

  it('splits a resize between active ReplicaSets by their share of max-replicas', () => {
    const d = deployment(20, 3, 0);
    const old = rs('old', 10, 10, { 'deployment.kubernetes.io/max-replicas': '13' });
    const fresh = rs('new', 3, 0, { 'deployment.kubernetes.io/max-replicas': '13' });
    // 20 + 3 allowed: old round(10·23/13) = 18, new round(3·23/13) = 5.
    const plan = planScale(d, fresh, [old]);
    expect(plan.proportional.map((t) => [t.rs.metadata?.name, t.replicas, t.operation])).toEqual([
      ['old', 18, 'up'],
      ['new', 5, 'up'],
    ]);
    const down = planScale(deployment(5, 3, 0), fresh, [old]);
    // 5 + 3 allowed: old round(10·8/13) = 6, new round(3·8/13) = 2.
    expect(sizes(down.proportional)).toEqual({ old: 6, new: 2 });
    expect(down.proportional[0]?.operation).toBe('down');
  });
});
