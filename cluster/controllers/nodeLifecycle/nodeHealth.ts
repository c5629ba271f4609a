// When the node lifecycle controller last heard from each node, and what it writes when a node has
// been silent too long. As Kubernetes' nodeHealthData, the time is when the controller *saw* a new
// Lease renewal or status heartbeat, by its own clock, so kubelet clock skew does not matter.

import type { V1Lease, V1Node, V1NodeCondition } from '@kubernetes/client-node';
import { timestamp } from '../../api/rest/restContext';

/** The conditions a kubelet posts, which go Unknown together when it falls silent. */
export const kubeletConditionTypes = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export class NodeProbes {
  private readonly probes = new Map<string, { at: number; lease?: string; heartbeat?: string }>();

  /** A node status whose Ready heartbeat moved counts as hearing from the node. */
  observeNode(node: V1Node, now: Date): void {
    const name = node.metadata?.name ?? '';
    const heartbeat = String(
      node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime ?? '',
    );
    const probe = this.probes.get(name);
    if (!probe) this.probes.set(name, { at: now.getTime(), heartbeat });
    else if (probe.heartbeat !== heartbeat) Object.assign(probe, { at: now.getTime(), heartbeat });
  }

  /** Any new version of the node's Lease is a renewal (only its holder writes it). */
  observeLease(lease: V1Lease, now: Date): void {
    const name = lease.metadata?.name ?? '';
    const version = lease.metadata?.resourceVersion;
    const probe = this.probes.get(name);
    if (!probe) this.probes.set(name, { at: now.getTime(), ...(version ? { lease: version } : {}) });
    else if (probe.lease !== version) Object.assign(probe, { at: now.getTime(), lease: version });
  }

  /** When the node was last heard from; a node not seen before counts from now. */
  lastHeard(name: string, now: Date): number {
    let probe = this.probes.get(name);
    if (!probe) {
      probe = { at: now.getTime() };
      this.probes.set(name, probe);
    }
    return probe.at;
  }

  forget(name: string): void {
    this.probes.delete(name);
  }
}

/** The node with its kubelet conditions set Unknown, or undefined when they already are. */
export function withUnknownConditions(node: V1Node, now: Date): V1Node | undefined {
  const at = timestamp(now) as unknown as Date;
  const conditions: V1NodeCondition[] = [...(node.status?.conditions ?? [])];
  let changed = false;
  for (const type of kubeletConditionTypes) {
    const i = conditions.findIndex((c) => c.type === type);
    const current = conditions[i];
    if (current?.status === 'Unknown') continue;
    changed = true;
    conditions[i < 0 ? conditions.length : i] = current
      ? {
          ...current,
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
          lastTransitionTime: at,
        }
      : {
          type,
          status: 'Unknown',
          reason: 'NodeStatusNeverUpdated',
          message: 'Kubelet never posted node status.',
          lastHeartbeatTime: node.metadata?.creationTimestamp ?? at,
          lastTransitionTime: at,
        };
  }
  return changed ? { ...node, status: { ...node.status, conditions } } : undefined;
}
