import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { rolloutStatus } from './rolloutStatus';

const deployment = (status: Record<string, unknown>, generation = 1): KubernetesObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', generation },
    spec: { replicas: 2 },
    status,
  }) as KubernetesObject;

describe('rolloutStatus', () => {
  it('waits for a deployment to be observed, updated and available, as kubectl rollout status does', () => {
    expect(rolloutStatus(deployment({}, 2)).state).toBe('progressing');
    expect(
      rolloutStatus(
        deployment({ observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }, 2),
      ).message,
    ).toBe('waiting for the deployment to be observed');
    expect(
      rolloutStatus(
        deployment({ observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 1 }),
      ),
    ).toEqual({
      state: 'progressing',
      message: '1 of 2 replicas available',
    });
    expect(
      rolloutStatus(
        deployment({ observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }),
      ),
    ).toEqual({
      state: 'ready',
      message: '2 of 2 replicas available',
    });
    expect(
      rolloutStatus(
        deployment({
          conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
        }),
      ).state,
    ).toBe('failed');
  });

  it('judges statefulsets by ready replicas, jobs by completions and pods by phase and readiness', () => {
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { replicas: 1 },
    };
    expect(rolloutStatus({ ...sts, status: { readyReplicas: 0 } } as KubernetesObject).state).toBe(
      'progressing',
    );
    expect(
      rolloutStatus({ ...sts, status: { readyReplicas: 1, updatedReplicas: 1 } } as KubernetesObject).state,
    ).toBe('ready');
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate' },
      spec: { completions: 1 },
    };
    expect(rolloutStatus({ ...job, status: { succeeded: 1 } } as KubernetesObject).state).toBe('ready');
    expect(
      rolloutStatus({
        ...job,
        status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] },
      } as KubernetesObject),
    ).toEqual({ state: 'failed', message: 'job failed: BackoffLimitExceeded' });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'once' } };
    expect(
      rolloutStatus({
        ...pod,
        status: {
          phase: 'Pending',
          containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ErrImagePull' } } }],
        },
      } as KubernetesObject).message,
    ).toBe('Pending: ErrImagePull');
    expect(
      rolloutStatus({
        ...pod,
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      } as KubernetesObject).state,
    ).toBe('ready');
  });

  it('treats objects without a rollout as ready once applied', () => {
    expect(rolloutStatus({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toEqual({
      state: 'ready',
      message: 'applied',
    });
  });
});
