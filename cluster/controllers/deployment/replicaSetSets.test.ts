import type { V1Deployment, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  byRevision,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  isSaturated,
} from './replicaSetSets';

const template = (image: string): V1PodTemplateSpec => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image }] },
});

function rs(name: string, second: number, image: string, replicas: number, revision?: string): V1ReplicaSet {
  const labelled = template(image);
  labelled.metadata = { labels: { app: 'web', 'pod-template-hash': name } };
  return {
    metadata: {
      name,
      uid: name,
      creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, second)) as unknown as Date,
      ...(revision ? { annotations: { 'deployment.kubernetes.io/revision': revision } } : {}),
    },
    spec: { replicas, selector: {}, template: labelled },
    status: { replicas, availableReplicas: replicas },
  };
}

const deployment = (image: string, replicas = 3): V1Deployment => ({
  metadata: { name: 'web' },
  spec: { replicas, selector: {}, template: template(image) },
});

const names = (sets: (V1ReplicaSet | undefined)[]) => sets.map((s) => s?.metadata?.name);

describe('replica set selection', () => {
  it('takes the oldest ReplicaSet whose template matches as the new one, the rest as old', () => {
    const sets = [rs('b', 2, 'nginx:2', 1), rs('a', 1, 'nginx:1', 2), rs('c', 3, 'nginx:2', 0)];
    expect(findNewReplicaSet(deployment('nginx:2'), sets)?.metadata?.name).toBe('b');
    expect(names(findOldReplicaSets(deployment('nginx:2'), sets))).toEqual(['a', 'c']);
    expect(findNewReplicaSet(deployment('nginx:3'), sets)).toBeUndefined();
  });

  it('orders by revision, falling back to age for missing or equal revisions', () => {
    const sets = [
      rs('r3', 1, 'x', 0, '3'),
      rs('r1', 2, 'x', 0, '1'),
      rs('bad', 0, 'x', 0, 'x'),
      rs('r2', 3, 'x', 0, '2'),
    ];
    expect(names([...sets].sort(byRevision))).toEqual(['bad', 'r1', 'r2', 'r3']);
  });

  it('finds the one active ReplicaSet, or the newest when none is active, or none when several are', () => {
    const newer = rs('new', 5, 'x', 0);
    expect(findActiveOrLatest(newer, [rs('old', 1, 'x', 2)])?.metadata?.name).toBe('old');
    expect(
      findActiveOrLatest(undefined, [rs('old', 1, 'x', 0), rs('older', 0, 'x', 0)])?.metadata?.name,
    ).toBe('old');
    expect(findActiveOrLatest(newer, [rs('old', 1, 'x', 0)])?.metadata?.name).toBe('new');
    expect(findActiveOrLatest(rs('new', 5, 'x', 1), [rs('old', 1, 'x', 2)])).toBeUndefined();
  });

  it('calls the new ReplicaSet saturated when it runs the full size, all available', () => {
    const full = rs('new', 1, 'x', 3);
    full.metadata = { ...full.metadata, annotations: { 'deployment.kubernetes.io/desired-replicas': '3' } };
    expect(isSaturated(deployment('x'), full)).toBe(true);
    expect(isSaturated(deployment('x', 4), full)).toBe(false);
    expect(isSaturated(deployment('x'), rs('plain', 1, 'x', 3))).toBe(false);
  });
});
