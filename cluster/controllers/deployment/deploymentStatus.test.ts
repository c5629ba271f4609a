import type { V1Deployment, V1DeploymentStatus, V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  newCondition,
  setCondition,
} from './deploymentStatus';

const now = new Date('2026-01-01T00:10:00Z');

function deployment(replicas: number, status: V1DeploymentStatus = {}, deadline = 600): V1Deployment {
  return {
    metadata: { name: 'web', generation: 2 },
    spec: {
      replicas,
      selector: {},
      template: {},
      progressDeadlineSeconds: deadline,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
    },
    status,
  };
}

function rs(replicas: number, ready: number, available: number): V1ReplicaSet {
  return {
    spec: { replicas, selector: {} },
    status: { replicas, readyReplicas: ready, availableReplicas: available, terminatingReplicas: 0 },
  };
}

describe('deployment status', () => {
  it('sums the ReplicaSets and leaves zero counts out, as omitempty does', () => {
    const newRS = rs(2, 1, 0);
    const status = calculateStatus([rs(3, 3, 3), newRS], newRS, deployment(4), now);
    expect(status).toMatchObject({
      observedGeneration: 2,
      replicas: 5,
      updatedReplicas: 2,
      readyReplicas: 4,
      availableReplicas: 3,
      unavailableReplicas: 2,
      terminatingReplicas: 0,
    });
    const empty = calculateStatus([undefined], undefined, deployment(0), now);
    expect(Object.keys(empty).sort()).toEqual(['conditions', 'observedGeneration', 'terminatingReplicas']);
  });

  it('is Available while no more than maxUnavailable pods are missing', () => {
    const available = (n: number) =>
      calculateStatus([rs(4, n, n)], undefined, deployment(4), now).conditions?.find(
        (c) => c.type === 'Available',
      );
    expect(available(3)).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(available(2)).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
  });

  it('keeps the transition time while a condition keeps its status', () => {
    const status: V1DeploymentStatus = {};
    setCondition(
      status,
      newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'a', new Date('2026-01-01T00:00:00Z')),
    );
    setCondition(status, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'b', now));
    expect(status.conditions).toEqual([
      {
        type: 'Progressing',
        status: 'True',
        reason: 'ReplicaSetUpdated',
        message: 'b',
        lastUpdateTime: '2026-01-01T00:10:00Z',
        lastTransitionTime: '2026-01-01T00:00:00Z',
      },
    ]);
    setCondition(status, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'c', now));
    expect(status.conditions?.[0]?.message).toBe('b');
  });

  it('judges completion, progress and a passed deadline', () => {
    const d = deployment(2, { updatedReplicas: 1, replicas: 3, readyReplicas: 2, availableReplicas: 2 });
    expect(
      deploymentComplete(d, { updatedReplicas: 2, replicas: 2, availableReplicas: 2, observedGeneration: 2 }),
    ).toBe(true);
    expect(
      deploymentComplete(d, { updatedReplicas: 2, replicas: 2, availableReplicas: 2, observedGeneration: 1 }),
    ).toBe(false);
    expect(
      deploymentProgressing(d, { updatedReplicas: 2, replicas: 3, readyReplicas: 2, availableReplicas: 2 }),
    ).toBe(true);
    expect(
      deploymentProgressing(d, { updatedReplicas: 1, replicas: 3, readyReplicas: 2, availableReplicas: 2 }),
    ).toBe(false);
    const stalled = (from: string, reason = 'ReplicaSetUpdated'): V1DeploymentStatus => ({
      conditions: [{ type: 'Progressing', status: 'True', reason, lastUpdateTime: from as unknown as Date }],
    });
    const short = deployment(2, {}, 60);
    expect(deploymentTimedOut(short, stalled('2026-01-01T00:08:59Z'), now)).toBe(true);
    expect(deploymentTimedOut(short, stalled('2026-01-01T00:09:30Z'), now)).toBe(false);
    expect(deploymentTimedOut(short, stalled('2026-01-01T00:00:00Z', 'NewReplicaSetAvailable'), now)).toBe(
      false,
    );
  });
});
