import type { V1Lease, V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { NodeProbes, withUnknownConditions } from './nodeHealth';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const lease = (rv: string): V1Lease => ({
  metadata: { name: 'n', namespace: 'kube-node-lease', resourceVersion: rv },
});
const node = (
  heartbeat: string,
  conditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'],
): V1Node => ({
  metadata: { name: 'n', creationTimestamp: '2025-12-31T00:00:00Z' as unknown as Date },
  status: {
    conditions: conditions.map((type) => ({
      type,
      status: type === 'Ready' ? 'True' : 'False',
      reason: 'KubeletReady',
      lastHeartbeatTime: heartbeat as unknown as Date,
    })),
  },
});

describe('node health', () => {
  it('counts a new Lease version or a new status heartbeat as hearing from the node', () => {
    const probes = new NodeProbes();
    probes.observeLease(lease('1'), t(0));
    probes.observeLease(lease('1'), t(10));
    expect(probes.lastHeard('n', t(20))).toBe(t(0).getTime());
    probes.observeLease(lease('2'), t(30));
    expect(probes.lastHeard('n', t(40))).toBe(t(30).getTime());
    probes.observeNode(node('a'), t(50));
    probes.observeNode(node('a'), t(60));
    expect(probes.lastHeard('n', t(70))).toBe(t(50).getTime());
  });

  it('starts counting a node it never heard from at first sight', () => {
    expect(new NodeProbes().lastHeard('new', t(5))).toBe(t(5).getTime());
  });

  it('sets the kubelet conditions Unknown once, keeping their last heartbeat', () => {
    const unknown = withUnknownConditions(node('2026-01-01T00:00:00Z'), t(41));
    const ready = unknown?.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastHeartbeatTime: '2026-01-01T00:00:00Z',
      lastTransitionTime: '2026-01-01T00:00:41Z',
    });
    expect(unknown && withUnknownConditions(unknown, t(50))).toBeUndefined();
  });

  it('adds conditions a kubelet never posted as Unknown', () => {
    const unknown = withUnknownConditions(node('x', ['Ready']), t(41));
    expect(unknown?.status?.conditions?.find((c) => c.type === 'PIDPressure')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusNeverUpdated',
      lastHeartbeatTime: '2025-12-31T00:00:00Z',
    });
  });
});
