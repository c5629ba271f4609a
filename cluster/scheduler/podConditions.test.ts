import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { markPreempted, markUnschedulable } from './podConditions';

const pending = (): V1Pod => ({
  metadata: { name: 'p', uid: 'u1' },
  spec: { containers: [] },
  status: { phase: 'Pending' },
});
const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:01:00Z');

describe('pod conditions', () => {
  it('sets PodScheduled=False with the reason and message', () => {
    const pod = markUnschedulable(pending(), { uid: 'u1', reason: 'Unschedulable', message: 'no' }, t0);
    expect(pod?.status?.conditions).toEqual([
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: 'no',
        lastTransitionTime: '2026-01-01T00:00:00Z',
      },
    ]);
  });

  it('keeps the transition time when only the message changes, and skips unchanged writes', () => {
    const first = markUnschedulable(
      pending(),
      { uid: 'u1', reason: 'Unschedulable', message: 'a' },
      t0,
    ) as V1Pod;
    const second = markUnschedulable(
      first,
      { uid: 'u1', reason: 'Unschedulable', message: 'b' },
      t1,
    ) as V1Pod;
    expect(second.status?.conditions?.[0]).toMatchObject({
      message: 'b',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    });
    expect(
      markUnschedulable(second, { uid: 'u1', reason: 'Unschedulable', message: 'b' }, t1),
    ).toBeUndefined();
  });

  it('sets and clears the nominated node', () => {
    const nominated = markUnschedulable(
      pending(),
      { uid: 'u1', reason: 'Unschedulable', message: 'a', nominatedNodeName: 'n1' },
      t0,
    ) as V1Pod;
    expect(nominated.status?.nominatedNodeName).toBe('n1');
    const cleared = markUnschedulable(
      nominated,
      { uid: 'u1', reason: 'Unschedulable', message: 'a', nominatedNodeName: null },
      t0,
    );
    expect(cleared?.status?.nominatedNodeName).toBeUndefined();
  });

  it('leaves pods alone that were bound or replaced meanwhile', () => {
    const bound = { ...pending(), spec: { containers: [], nodeName: 'n1' } };
    expect(
      markUnschedulable(bound, { uid: 'u1', reason: 'Unschedulable', message: 'a' }, t0),
    ).toBeUndefined();
    expect(
      markUnschedulable(pending(), { uid: 'other', reason: 'Unschedulable', message: 'a' }, t0),
    ).toBeUndefined();
  });

  it('marks a preemption victim as a disruption target', () => {
    const victim = markPreempted(pending(), 'u1', 'default-scheduler', t0);
    expect(victim?.status?.conditions?.[0]).toMatchObject({
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: 'default-scheduler: preempting to accommodate a higher priority pod',
    });
  });
});
