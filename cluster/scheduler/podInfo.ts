// A pod as the scheduler reasons about it, parsed once: requests, host ports, affinity terms,
// priority. Built for the pod being scheduled and for every pod the cache places on a node.

import type { V1Pod } from '@kubernetes/client-node';
import { objectKey } from '../controllers/runtime/objectKey';
import { type PodAffinityTerms, parseAffinityTerms } from './affinityTerms';
import { podNonZeroRequests, podRequests, type Resources } from './podResources';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export interface PodInfo extends PodAffinityTerms {
  /** The latest object; the cache refreshes it on status-only updates. */
  pod: V1Pod;
  /** namespace/name */
  readonly key: string;
  readonly uid: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly priority: number;
  readonly requests: Resources;
  readonly nonZeroRequests: { milliCpu: number; memory: number };
  readonly hostPorts: readonly HostPort[];
  readonly terminating: boolean;
}

export const wildcardIp = '0.0.0.0';

/** Host ports of containers and sidecars (restartable init containers), as util.GetHostPorts. */
function hostPorts(pod: V1Pod): HostPort[] {
  const containers = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
  ];
  const ports: HostPort[] = [];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      ports.push({ ip: p.hostIP || wildcardIp, protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return ports;
}

export function podInfo(pod: V1Pod): PodInfo {
  const meta = pod.metadata ?? {};
  const namespace = meta.namespace ?? 'default';
  return {
    pod,
    key: objectKey(pod),
    uid: meta.uid ?? objectKey(pod),
    namespace,
    labels: meta.labels ?? {},
    priority: pod.spec?.priority ?? 0,
    requests: podRequests(pod),
    nonZeroRequests: podNonZeroRequests(pod),
    hostPorts: hostPorts(pod),
    terminating: meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null,
    ...parseAffinityTerms(namespace, pod.spec?.affinity),
  };
}

export function hasAffinityTerms(p: PodInfo): boolean {
  return (
    p.requiredAffinity.length > 0 ||
    p.requiredAntiAffinity.length > 0 ||
    p.preferredAffinity.length > 0 ||
    p.preferredAntiAffinity.length > 0
  );
}
