import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podsToDelete } from './podsToDelete';

const now = new Date('2026-01-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString() as unknown as Date;

interface PodShape {
  node?: string;
  phase?: string;
  readyAgoMs?: number;
  createdAgoMs?: number;
  cost?: string;
  restarts?: number;
}

function pod(name: string, shape: PodShape = {}): V1Pod {
  const ready = shape.readyAgoMs !== undefined;
  return {
    metadata: {
      name,
      uid: name,
      creationTimestamp: ago(shape.createdAgoMs ?? 3_600_000),
      ...(shape.cost ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': shape.cost } } : {}),
    },
    spec: { containers: [], ...(shape.node ? { nodeName: shape.node } : {}) },
    status: {
      phase: shape.phase ?? 'Running',
      conditions: [
        { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ago(shape.readyAgoMs ?? 0) },
      ],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready, restartCount: shape.restarts ?? 0 }],
    },
  };
}

const names = (pods: V1Pod[]) => pods.map((p) => p.metadata?.name);

describe('pods to delete', () => {
  it('takes unscheduled, then Pending, then not-ready pods before ready ones', () => {
    const pods = [
      pod('ready', { node: 'n1', readyAgoMs: 60_000 }),
      pod('not-ready', { node: 'n1' }),
      pod('pending', { node: 'n1', phase: 'Pending' }),
      pod('unscheduled', { phase: 'Pending' }),
    ];
    expect(names(podsToDelete(pods, [], 3, now))).toEqual(['unscheduled', 'pending', 'not-ready']);
  });

  it('honours pod-deletion-cost before spreading', () => {
    const pods = [
      pod('dear', { node: 'n1', readyAgoMs: 1000, cost: '100' }),
      pod('cheap', { node: 'n1', readyAgoMs: 1000, cost: '-5' }),
    ];
    expect(names(podsToDelete(pods, [], 1, now))).toEqual(['cheap']);
  });

  it('prefers pods doubled up on a node with their siblings', () => {
    const crowded = pod('crowded', { node: 'n1', readyAgoMs: 3_600_000 });
    const alone = pod('alone', { node: 'n2', readyAgoMs: 1000 });
    const sibling = pod('sibling', { node: 'n1', readyAgoMs: 3_600_000 });
    expect(names(podsToDelete([alone, crowded], [crowded, alone, sibling], 1, now))).toEqual(['crowded']);
  });

  it('then takes the most recently ready, the most restarted, and the newest', () => {
    const recent = pod('recent', { node: 'n1', readyAgoMs: 2_000 });
    const old = pod('old', { node: 'n2', readyAgoMs: 3_600_000 });
    expect(names(podsToDelete([old, recent], [], 1, now))).toEqual(['recent']);
    const restarted = pod('restarted', { node: 'n1', readyAgoMs: 5_000, restarts: 3 });
    const steady = pod('steady', { node: 'n2', readyAgoMs: 5_000 });
    expect(names(podsToDelete([steady, restarted], [], 1, now))).toEqual(['restarted']);
    const young = pod('young', { node: 'n1', phase: 'Pending', createdAgoMs: 1_000 });
    const elder = pod('elder', { node: 'n2', phase: 'Pending', createdAgoMs: 3_600_000 });
    expect(names(podsToDelete([elder, young], [], 1, now))).toEqual(['young']);
  });

  it('treats ready times in the same power-of-two bucket as equal, then orders by UID', () => {
    const a = pod('b-pod', { node: 'n1', readyAgoMs: 100_000 });
    const b = pod('a-pod', { node: 'n2', readyAgoMs: 100_001 });
    expect(names(podsToDelete([a, b], [], 1, now))).toEqual(['a-pod']);
  });

  it('returns every pod when asked for as many or more', () => {
    const pods = [pod('x'), pod('y')];
    expect(podsToDelete(pods, [], 5, now)).toHaveLength(2);
  });
});
