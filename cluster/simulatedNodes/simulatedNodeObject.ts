// Pure: the Node a simulated kubelet registers, shaped like a real kubelet's (capacity, addresses,
// nodeInfo, the well-known labels, the four kubelet conditions), plus the addresses a node's slot
// gives it: InternalIP 10.89.0.0/16 and pod CIDR 10.245.<slot>.0/24 counted on past .255.

import type { V1Node, V1NodeCondition, V1Taint } from '@kubernetes/client-node';
import { timestamp } from '../api/rest/restContext';

export const kubeletVersion = 'v1.35.0';
export const simulatedLabel = 'node.kubedesk.io/simulated';

export interface NodeCapacity {
  cpu: string;
  memory: string;
  pods: string;
  'ephemeral-storage': string;
}

export const defaultCapacity: NodeCapacity = {
  cpu: '4',
  memory: '8Gi',
  pods: '110',
  'ephemeral-storage': '100Gi',
};

export interface SimulatedNodeSpec {
  name: string;
  capacity?: Partial<NodeCapacity>;
  labels?: Record<string, string>;
  taints?: V1Taint[];
  /** `kubernetes.io/arch`; default amd64. */
  architecture?: string;
}

const ipv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const nodeNetwork = (10 << 24) | (89 << 16);
const podNetwork = (10 << 24) | (245 << 16);

/** Slot 1 is 10.89.0.2: .0 is the network and .1 its gateway. */
export function nodeInternalIP(slot: number): string {
  return ipv4(nodeNetwork + slot + 1);
}

/** Slot 1 is 10.245.1.0/24; slots past 255 continue into 10.246.x. */
export function nodePodCidr(slot: number): string {
  return `${ipv4(podNetwork + slot * 256)}/24`;
}

export interface NodeHealth {
  ready: boolean;
}

/** The kubelet's four conditions as it reports them, keeping transition times that did not change. */
export function kubeletConditions(
  health: NodeHealth,
  now: Date,
  previous: V1NodeCondition[] = [],
): V1NodeCondition[] {
  const at = timestamp(now) as unknown as Date;
  const c = (type: string, status: 'True' | 'False', reason: string, message: string): V1NodeCondition => {
    const before = previous.find((p) => p.type === type);
    const lastTransitionTime =
      before?.status === status && before.lastTransitionTime ? before.lastTransitionTime : at;
    return { type, status, reason, message, lastHeartbeatTime: at, lastTransitionTime };
  };
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    health.ready
      ? c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
      : c('Ready', 'False', 'KubeletNotReady', 'container runtime network not ready: NetworkReady=false'),
  ];
}

/** True when the node's conditions already say what the kubelet would report (heartbeat aside). */
export function conditionsMatch(node: V1Node, health: NodeHealth): boolean {
  const wanted = kubeletConditions(health, new Date(0));
  const actual = node.status?.conditions ?? [];
  return wanted.every((w) => {
    const a = actual.find((c) => c.type === w.type);
    return a?.status === w.status && a.reason === w.reason;
  });
}

export function simulatedNodeObject(spec: SimulatedNodeSpec, slot: number): V1Node {
  const arch = spec.architecture ?? 'amd64';
  const cidr = nodePodCidr(slot);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: {
        'beta.kubernetes.io/arch': arch,
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': arch,
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        [simulatedLabel]: 'true',
        ...spec.labels,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { podCIDR: cidr, podCIDRs: [cidr], ...(spec.taints?.length ? { taints: spec.taints } : {}) },
    status: nodeStatus(spec, slot),
  };
}

/** Everything in the status but conditions, which heartbeats own. */
export function nodeStatus(spec: SimulatedNodeSpec, slot: number): NonNullable<V1Node['status']> {
  const resources: Record<string, string> = { ...defaultCapacity, ...spec.capacity };
  return {
    capacity: resources,
    allocatable: resources,
    addresses: [
      { type: 'InternalIP', address: nodeInternalIP(slot) },
      { type: 'Hostname', address: spec.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      architecture: spec.architecture ?? 'amd64',
      bootID: '',
      containerRuntimeVersion: 'containerd://2.1.0',
      kernelVersion: '6.8.0-kubedesk-simulated',
      kubeProxyVersion: kubeletVersion,
      kubeletVersion,
      machineID: '',
      operatingSystem: 'linux',
      osImage: 'Kubedesk simulated node',
      systemUUID: '',
    },
  };
}
