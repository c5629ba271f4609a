// The node's Lease in kube-node-lease, as the kubelet's lease controller keeps it: created owned by
// the Node, then renewed by replacing it with a new renewTime. The last written copy is reused so
// a renewal is one write; a conflict or a missing Lease falls back to read-modify-write or create.

import type { V1Lease, V1MicroTime } from '@kubernetes/client-node';
import { isConflict, isNotFound, type ResourceClient } from '../controllers/runtime/clusterClient';

export const nodeLeaseNamespace = 'kube-node-lease';
export const leaseDurationSeconds = 40;

/** metav1.MicroTime: RFC 3339 with microseconds (objects here are JSON, so a string). */
export function microTime(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}

export function nodeLease(node: { name: string; uid: string }, now: Date): V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.name,
      namespace: nodeLeaseNamespace,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid }],
    },
    spec: {
      holderIdentity: node.name,
      leaseDurationSeconds,
      renewTime: microTime(now) as unknown as V1MicroTime,
    },
  };
}

function renewed(lease: V1Lease, node: { name: string }, now: Date): V1Lease {
  return {
    ...lease,
    spec: {
      ...lease.spec,
      holderIdentity: node.name,
      leaseDurationSeconds,
      renewTime: microTime(now) as unknown as V1MicroTime,
    },
  };
}

export async function renewNodeLease(
  leases: ResourceClient<V1Lease>,
  node: { name: string; uid: string },
  previous: V1Lease | undefined,
  now: Date,
): Promise<V1Lease> {
  if (previous) {
    try {
      return await leases.update(renewed(previous, node, now));
    } catch (err) {
      if (!isConflict(err) && !isNotFound(err)) throw err;
    }
  }
  const live = await leases.mutate(nodeLeaseNamespace, node.name, (lease) => renewed(lease, node, now));
  return live ?? (await leases.create(nodeLease(node, now)));
}
