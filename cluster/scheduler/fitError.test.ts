import { describe, expect, it } from 'vitest';
import { fitErrorMessage } from './fitError';

describe('FailedScheduling message', () => {
  it('counts reasons per node and sorts them as strings', () => {
    expect(
      fitErrorMessage({
        numAllNodes: 3,
        nodeReasons: [['node(s) were unschedulable'], ['Insufficient memory'], ['Insufficient memory']],
      }),
    ).toBe('0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient memory.');
  });

  it('counts each reason of a node that has several', () => {
    expect(
      fitErrorMessage({
        numAllNodes: 2,
        nodeReasons: [['Insufficient cpu', 'Insufficient memory'], ['Insufficient cpu']],
      }),
    ).toBe('0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.');
  });

  it('uses a PreFilter message instead of per-node reasons, then the preemption message', () => {
    expect(
      fitErrorMessage({
        numAllNodes: 3,
        nodeReasons: [],
        preFilterMessage: 'pod has unbound immediate PersistentVolumeClaims',
        postFilterMessage: 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      }),
    ).toBe(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });

  it('gives nodes without an explicit status the absent-node reasons', () => {
    expect(
      fitErrorMessage({
        numAllNodes: 3,
        nodeReasons: [['No preemption victims found for incoming pod']],
        absentNodes: { count: 2, reasons: ['Preemption is not helpful for scheduling'] },
      }),
    ).toBe(
      '0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    );
  });
});
