import type { V1PersistentVolumeClaim, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { completeRollingUpdate, planStatefulSet, type StatefulSetPlanInput } from './statefulSetPlan';
import { newStatefulSetPod } from './statefulSetPods';

const now = new Date('2025-01-01T00:00:00Z');

function statefulSet(
  spec: Partial<V1StatefulSet['spec']> = {},
  status: V1StatefulSet['status'] = { replicas: 0 },
): V1StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-web', generation: 1 },
    spec: {
      replicas: 3,
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'nginx' } },
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1' }], volumes: [{ name: 'www', emptyDir: {} }] },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'www', labels: { tier: 'data' } },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
      ...spec,
    },
    status,
  };
}

type PodState = 'pending' | 'ready' | 'running' | 'failed' | 'terminating';

function pod(set: V1StatefulSet, ordinal: number, state: PodState, revision = 'rev-1'): V1Pod {
  const p = newStatefulSetPod(set, ordinal, revision);
  p.metadata = { ...p.metadata, uid: `uid-${ordinal}` };
  const ready = state === 'ready' || state === 'terminating';
  p.status = {
    phase: state === 'pending' ? 'Pending' : state === 'failed' ? 'Failed' : 'Running',
    conditions: [
      {
        type: 'Ready',
        status: ready ? 'True' : 'False',
        lastTransitionTime: '2024-12-31T00:00:00Z' as unknown as Date,
      },
    ],
  };
  if (state === 'terminating') p.metadata.deletionTimestamp = '2025-01-01T00:00:00Z' as unknown as Date;
  return p;
}

function plan(set: V1StatefulSet, pods: V1Pod[], extra: Partial<StatefulSetPlanInput> = {}) {
  const claims = new Map<string, V1PersistentVolumeClaim>();
  for (let i = 0; i < 10; i++) claims.set(`www-web-${i}`, { metadata: { name: `www-web-${i}` } });
  return planStatefulSet({
    set,
    currentSet: set,
    updateSet: set,
    currentRevision: 'rev-1',
    updateRevision: 'rev-1',
    collisionCount: 0,
    pods,
    claim: (name) => claims.get(name),
    now,
    ...extra,
  });
}

const described = (steps: ReturnType<typeof plan>['steps']) =>
  steps.map((s) => `${s.kind} ${s.pod.metadata?.name}`);

describe('a StatefulSet pod', () => {
  it('has a stable name, identity labels, hostname, subdomain and its claim mounted', () => {
    const set = statefulSet();
    const [step] = plan(set, []).steps;
    expect(step?.kind).toBe('createPod');
    const created = step?.pod as V1Pod;
    expect(created.metadata).toMatchObject({
      name: 'web-0',
      generateName: 'web-',
      namespace: 'default',
      labels: {
        app: 'nginx',
        'statefulset.kubernetes.io/pod-name': 'web-0',
        'apps.kubernetes.io/pod-index': '0',
        'controller-revision-hash': 'rev-1',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          name: 'web',
          uid: 'uid-web',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    expect(created.spec?.hostname).toBe('web-0');
    expect(created.spec?.subdomain).toBe('nginx');
    expect(created.spec?.volumes).toEqual([
      { name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } },
    ]);
  });

  it('starts at spec.ordinals.start', () => {
    const set = statefulSet({ ordinals: { start: 5 } });
    expect(described(plan(set, []).steps)).toEqual(['createPod web-5']);
    expect(described(plan(set, [pod(set, 5, 'ready')]).steps)).toEqual(['createPod web-6']);
  });
});

describe('OrderedReady', () => {
  const set = statefulSet();

  it('creates the next ordinal only once every lower one is Running and Ready', () => {
    expect(described(plan(set, [pod(set, 0, 'pending')]).steps)).toEqual([]);
    expect(described(plan(set, [pod(set, 0, 'running')]).steps)).toEqual([]);
    expect(described(plan(set, [pod(set, 0, 'ready')]).steps)).toEqual(['createPod web-1']);
    expect(described(plan(set, [pod(set, 0, 'ready'), pod(set, 1, 'ready')]).steps)).toEqual([
      'createPod web-2',
    ]);
  });

  it('recreates a missing lower ordinal before anything else', () => {
    expect(described(plan(set, [pod(set, 1, 'ready'), pod(set, 2, 'ready')]).steps)).toEqual([
      'createPod web-0',
    ]);
  });

  it('waits for minReadySeconds before going on', () => {
    const slow = statefulSet({ minReadySeconds: 3600 });
    const young = pod(slow, 0, 'ready');
    young.status?.conditions?.splice(0, 1, { type: 'Ready', status: 'True', lastTransitionTime: now });
    expect(described(plan(slow, [young]).steps)).toEqual([]);
  });

  it('deletes above the range from the highest ordinal, one at a time, waiting for termination', () => {
    const one = statefulSet({ replicas: 1 });
    const ready = [0, 1, 2].map((i) => pod(one, i, 'ready'));
    expect(described(plan(one, ready).steps)).toEqual(['deletePod web-2']);
    expect(
      described(plan(one, [ready[0] as V1Pod, ready[1] as V1Pod, pod(one, 2, 'terminating')]).steps),
    ).toEqual([]);
    expect(described(plan(one, [ready[0] as V1Pod, ready[1] as V1Pod]).steps)).toEqual(['deletePod web-1']);
  });

  it('deletes the lowest unhealthy pod but no other unhealthy one', () => {
    const one = statefulSet({ replicas: 1 });
    expect(
      described(plan(one, [pod(one, 0, 'ready'), pod(one, 1, 'ready'), pod(one, 2, 'running')]).steps),
    ).toEqual(['deletePod web-2']);
    expect(
      described(plan(one, [pod(one, 0, 'ready'), pod(one, 1, 'running'), pod(one, 2, 'running')]).steps),
    ).toEqual([]);
  });

  it('deletes a failed pod and stops there', () => {
    expect(described(plan(set, [pod(set, 0, 'failed'), pod(set, 1, 'ready')]).steps)).toEqual([
      'deletePod web-0',
    ]);
  });

  it('creates the claims a pending pod lost', () => {
    const steps = plan(set, [pod(set, 0, 'pending')], { claim: () => undefined }).steps;
    expect(described(steps)).toEqual(['createClaims web-0']);
  });

  it('restores identity labels someone removed', () => {
    const stripped = pod(set, 0, 'ready');
    delete stripped.metadata?.labels?.['statefulset.kubernetes.io/pod-name'];
    expect(described(plan(set, [stripped, pod(set, 1, 'ready'), pod(set, 2, 'ready')]).steps)).toEqual([
      'updatePod web-0',
    ]);
  });
});

describe('Parallel', () => {
  const set = statefulSet({ podManagementPolicy: 'Parallel' });

  it('creates and deletes without waiting', () => {
    expect(described(plan(set, []).steps)).toEqual(['createPod web-0', 'createPod web-1', 'createPod web-2']);
    const one = statefulSet({ podManagementPolicy: 'Parallel', replicas: 1 });
    const pods = [pod(one, 0, 'pending'), pod(one, 1, 'pending'), pod(one, 2, 'running')];
    expect(described(plan(one, pods).steps)).toEqual(['deletePod web-2', 'deletePod web-1']);
  });
});

describe('RollingUpdate', () => {
  const update = (set: V1StatefulSet, pods: V1Pod[]) =>
    plan(set, pods, { currentRevision: 'rev-1', updateRevision: 'rev-2' });

  it('replaces pods from the highest ordinal down to the partition, one Ready pod at a time', () => {
    const set = statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
    const old = [0, 1, 2].map((i) => pod(set, i, 'ready'));
    const first = update(set, old);
    expect(described(first.steps)).toEqual(['deletePod web-2']);
    expect(first.status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 2,
      updatedReplicas: 0,
    });

    const waiting = [old[0] as V1Pod, old[1] as V1Pod, pod(set, 2, 'running', 'rev-2')];
    expect(described(update(set, waiting).steps)).toEqual([]);
    const next = [old[0] as V1Pod, old[1] as V1Pod, pod(set, 2, 'ready', 'rev-2')];
    expect(described(update(set, next).steps)).toEqual(['deletePod web-1']);
    const done = [old[0] as V1Pod, pod(set, 1, 'ready', 'rev-2'), pod(set, 2, 'ready', 'rev-2')];
    const partitioned = update(set, done);
    expect(described(partitioned.steps)).toEqual([]);
    expect(partitioned.status).toMatchObject({
      currentReplicas: 1,
      updatedReplicas: 2,
      currentRevision: 'rev-1',
      updateRevision: 'rev-2',
    });
  });

  it('creates a missing pod below the partition at the current revision', () => {
    const set = statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    const [step] = update(set, []).steps;
    expect(step?.pod.metadata?.labels?.['controller-revision-hash']).toBe('rev-1');
    const [above] = update(set, [pod(set, 0, 'ready'), pod(set, 1, 'ready')]).steps;
    expect(above?.pod.metadata?.labels?.['controller-revision-hash']).toBe('rev-2');
  });

  it('replaces up to maxUnavailable pods at once', () => {
    const set = statefulSet({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } },
    });
    const old = [0, 1, 2].map((i) => pod(set, i, 'ready'));
    expect(described(update(set, old).steps)).toEqual(['deletePod web-2', 'deletePod web-1']);
  });

  it('completes the rollout once every replica is updated and Ready', () => {
    const set = statefulSet();
    const pods = [0, 1, 2].map((i) => pod(set, i, 'ready', 'rev-2'));
    const { status } = update(set, pods);
    expect(completeRollingUpdate(set, status)).toMatchObject({
      currentRevision: 'rev-2',
      currentReplicas: 3,
      updatedReplicas: 3,
    });
  });

  it('leaves pods alone with OnDelete', () => {
    const set = statefulSet({ updateStrategy: { type: 'OnDelete' } });
    const old = [0, 1, 2].map((i) => pod(set, i, 'ready'));
    expect(described(update(set, old).steps)).toEqual([]);
    const [recreated] = update(set, [old[0] as V1Pod, old[1] as V1Pod]).steps;
    expect(recreated?.pod.metadata?.labels?.['controller-revision-hash']).toBe('rev-2');
  });
});

describe('claim retention', () => {
  it('gives condemned pods their claims when the policy deletes on scale down', () => {
    const set = statefulSet({
      replicas: 1,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' },
    });
    const pods = [0, 1].map((i) => pod(set, i, 'ready'));
    expect(described(plan(set, pods).steps)).toEqual(['updateClaimOwners web-1', 'deletePod web-1']);
  });

  it('waits for a claim an earlier pod still owns to go', () => {
    const set = statefulSet({
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' },
    });
    const stale: V1PersistentVolumeClaim = {
      metadata: {
        name: 'www-web-0',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'web-0', uid: 'old', controller: true }],
      },
    };
    expect(plan(set, [], { claim: (n) => (n === 'www-web-0' ? stale : undefined) }).steps).toEqual([]);
  });
});
