import { statfs } from 'node:fs/promises';
import { freemem } from 'node:os';
import {
  type CoordinationV1Api,
  type CoreV1Api,
  type V1Lease,
  V1MicroTime,
  type V1Node,
} from '@kubernetes/client-node';
import type { Logger } from '../../log';
import { carryTransitions, type NodeFacts, nodeConditions, nodeObject } from './nodeObject';

// Registers the Node, then heartbeats: the Lease in kube-node-lease every 10 s and the node status
// (conditions) with it, as the kubelet's node lease controller and status manager do.

export const leaseDurationSeconds = 40;
export const heartbeatMs = 10_000;

const isNotFound = (err: unknown) => (err as { code?: number }).code === 404;

async function pressure(): Promise<{ memoryPressure: boolean; diskPressure: boolean; pidPressure: boolean }> {
  const disk = await statfs('/var/lib/docker').catch(() => undefined);
  return {
    memoryPressure: freemem() < 100 * 1024 * 1024,
    // The kubelet's default hard eviction threshold: nodefs.available < 10%.
    diskPressure: disk ? disk.bavail / disk.blocks < 0.1 : false,
    pidPressure: false,
  };
}

const isConflict = (err: unknown) => (err as { code?: number }).code === 409;

/**
 * Creates or updates the Node and its status. Controllers write Nodes too (taints, conditions), so a
 * write may lose the race for the resourceVersion; it is retried on the object as it is now.
 */
export async function registerNode(core: CoreV1Api, facts: NodeFacts): Promise<V1Node> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await registerOnce(core, facts);
    } catch (err) {
      if (!isConflict(err) || attempt >= 5) throw err;
    }
  }
}

async function registerOnce(core: CoreV1Api, facts: NodeFacts): Promise<V1Node> {
  const desired = nodeObject(facts);
  desired.status = { ...desired.status, conditions: nodeConditions(await pressure(), new Date()) };
  const existing = await core.readNode({ name: facts.name }).catch((err) => {
    if (isNotFound(err)) return undefined;
    throw err;
  });
  if (!existing) return core.createNode({ body: desired });
  const merged: V1Node = {
    ...existing,
    metadata: { ...existing.metadata, labels: { ...existing.metadata?.labels, ...desired.metadata?.labels } },
    spec: { ...existing.spec, podCIDR: facts.podCidr, podCIDRs: [facts.podCidr] },
  };
  const updated = await core.replaceNode({ name: facts.name, body: merged });
  return updateNodeStatus(core, facts, updated);
}

export async function updateNodeStatus(core: CoreV1Api, facts: NodeFacts, current?: V1Node): Promise<V1Node> {
  const node = current ?? (await core.readNode({ name: facts.name }));
  const desired = nodeObject(facts);
  const status = {
    ...node.status,
    ...desired.status,
    conditions: carryTransitions(nodeConditions(await pressure(), new Date()), node.status?.conditions),
  };
  return core.replaceNodeStatus({ name: facts.name, body: { ...node, status } });
}

export async function renewLease(coordination: CoordinationV1Api, node: V1Node): Promise<void> {
  const name = node.metadata?.name ?? '';
  const namespace = 'kube-node-lease';
  const renewTime = new V1MicroTime();
  const lease = await coordination.readNamespacedLease({ name, namespace }).catch((err) => {
    if (isNotFound(err)) return undefined;
    throw err;
  });
  if (!lease) {
    const body: V1Lease = {
      metadata: {
        name,
        namespace,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata?.uid ?? '' }],
      },
      spec: { holderIdentity: name, leaseDurationSeconds, renewTime },
    };
    await coordination.createNamespacedLease({ namespace, body });
    return;
  }
  lease.spec = { ...lease.spec, holderIdentity: name, leaseDurationSeconds, renewTime };
  await coordination.replaceNamespacedLease({ name, namespace, body: lease });
}

/** Heartbeats until the signal aborts; failures are logged and retried at the next beat. */
export function startHeartbeat(
  apis: { core: CoreV1Api; coordination: CoordinationV1Api },
  facts: NodeFacts,
  node: V1Node,
  log: Logger,
  signal: AbortSignal,
): void {
  const beat = async () => {
    try {
      const current = await updateNodeStatus(apis.core, facts);
      await renewLease(apis.coordination, current);
    } catch (err) {
      log.warn('node heartbeat failed', { node: facts.name, error: (err as Error).message });
    }
  };
  void renewLease(apis.coordination, node).catch((err) =>
    log.warn('lease create failed', { node: facts.name, error: (err as Error).message }),
  );
  const timer = setInterval(beat, heartbeatMs);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
