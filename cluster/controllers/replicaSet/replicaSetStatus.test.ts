import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { calculateReplicaSetStatus } from './replicaSetStatus';

const now = new Date('2026-01-01T00:01:00Z');

const rs: V1ReplicaSet = {
  metadata: { name: 'web', generation: 3 },
  spec: {
    replicas: 4,
    minReadySeconds: 10,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web', tier: 'front' } } },
  },
  status: { replicas: 0, observedGeneration: 2 },
};

function pod(labels: Record<string, string>, readySince?: string): V1Pod {
  return {
    metadata: { labels },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: readySince ? 'True' : 'False',
          lastTransitionTime: (readySince ?? '') as unknown as Date,
        },
      ],
    },
  };
}

describe('replicaset status', () => {
  it('counts fully labelled, ready, and ready-for-minReadySeconds pods', () => {
    const pods = [
      pod({ app: 'web', tier: 'front' }, '2026-01-01T00:00:00Z'),
      pod({ app: 'web', tier: 'front' }, '2026-01-01T00:00:55Z'),
      pod({ app: 'web' }, '2026-01-01T00:00:00Z'),
      pod({ app: 'web', tier: 'front' }),
    ];
    expect(calculateReplicaSetStatus({ rs, pods, terminating: 1, now })).toEqual({
      replicas: 4,
      fullyLabeledReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 2,
      terminatingReplicas: 1,
      observedGeneration: 2,
    });
  });

  it('adds ReplicaFailure while creating fails and clears it after', () => {
    const failing = calculateReplicaSetStatus({
      rs,
      pods: [],
      terminating: 0,
      now,
      manageError: new Error('quota'),
    });
    expect(failing.conditions).toEqual([
      {
        type: 'ReplicaFailure',
        status: 'True',
        reason: 'FailedCreate',
        message: 'quota',
        lastTransitionTime: '2026-01-01T00:01:00Z',
      },
    ]);
    const recovered = calculateReplicaSetStatus({
      rs: { ...rs, status: failing },
      pods: [],
      terminating: 0,
      now,
    });
    expect(recovered.conditions).toBeUndefined();
  });
});
