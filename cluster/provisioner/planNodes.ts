import ipaddr from 'ipaddr.js';
import { labelKeys, roles } from './labels';
import type { NetworkInfo, NodeSpec } from './providers/nodeProvider';

// Pure planning: what each node container of a cluster looks like. The runner (`cluster.ts`)
// performs the plan through a NodeProvider.

export type NodePlan = NodeSpec;

export const defaultClusterName = 'kubedesk';
export const defaultKubeletPort = 10250;
/** All pod CIDRs; each node takes 10.244.<index>.0/24 as its inner dockerd bridge. */
export const clusterPodCidr = '10.244.0.0/16';
/** Node i gets host address `firstNodeHost + i` on the cluster network (.1 is the gateway). */
const firstNodeHost = 10;
export const maxNodeIndex = 254 - firstNodeHost;

export interface ClusterConfig {
  /** Default `kubedesk`; names the network, node containers and volumes. */
  name?: string;
  nodes: number;
  image: string;
  network: Pick<NetworkInfo, 'name' | 'subnet' | 'gateway'>;
  /** Address given to nodes as `host.docker.internal`; omit where the engine provides it (Docker Desktop). */
  hostGatewayIp?: string;
  kubeletPort?: number;
}

const namePattern = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

export function validateClusterName(name: string): string {
  if (!namePattern.test(name)) {
    throw new Error(
      `cluster name "${name}" is invalid: expected 1-40 lowercase letters, digits or '-', starting and ending with a letter or digit`,
    );
  }
  return name;
}

export const clusterNetworkName = (cluster: string) => `${cluster}-net`;
export const nodeName = (cluster: string, index: number) => `${cluster}-node-${index}`;
export const nodeVolumeName = (cluster: string, index: number) => `${cluster}-node-${index}-docker`;
export const podCidrOf = (index: number) => `10.244.${index}.0/24`;

/** /24 subnets to try for a cluster network, in order; the provider skips those already in use. */
export function networkCandidates(): string[] {
  const subnets: string[] = [];
  for (const second of [30, 29, 28, 27]) {
    for (let third = 0; third < 256; third += 1) subnets.push(`172.${second}.${third}.0/24`);
  }
  return subnets;
}

function nodeIp(subnet: string, index: number): string {
  const [base, prefix] = ipaddr.IPv4.parseCIDR(subnet);
  const hosts = 2 ** (32 - prefix) - 2;
  const offset = firstNodeHost + index;
  if (offset >= hosts) throw new Error(`subnet ${subnet} has no address for node ${index}`);
  const start = base.toByteArray().reduce((n, byte) => n * 256 + byte, 0);
  const value = start + offset;
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function planNode(config: ClusterConfig, index: number): NodePlan {
  const cluster = validateClusterName(config.name ?? defaultClusterName);
  if (!Number.isInteger(index) || index < 1 || index > maxNodeIndex) {
    throw new Error(`node index ${index} is out of range 1..${maxNodeIndex}`);
  }
  const name = nodeName(cluster, index);
  const podCidr = podCidrOf(index);
  const ip = nodeIp(config.network.subnet, index);
  const volume = nodeVolumeName(cluster, index);
  return {
    cluster,
    name,
    index,
    hostname: name,
    image: config.image,
    network: config.network.name,
    ip,
    podCidr,
    bridgeIp: `10.244.${index}.1/24`,
    volume,
    kubeletPort: config.kubeletPort ?? defaultKubeletPort,
    extraHosts: config.hostGatewayIp ? [`host.docker.internal:${config.hostGatewayIp}`] : [],
    env: {
      KUBEDESK_CLUSTER: cluster,
      KUBEDESK_NODE_NAME: name,
      KUBEDESK_NODE_INDEX: String(index),
      KUBEDESK_NODE_IP: ip,
      KUBEDESK_POD_CIDR: podCidr,
    },
    labels: {
      [labelKeys.cluster]: cluster,
      [labelKeys.role]: roles.node,
      [labelKeys.nodeIndex]: String(index),
      [labelKeys.podCidr]: podCidr,
      [labelKeys.nodeIp]: ip,
      [labelKeys.volume]: volume,
    },
  };
}

export function validateNodeCount(nodes: number): number {
  if (!Number.isInteger(nodes) || nodes < 0 || nodes > maxNodeIndex) {
    throw new Error(`node count ${nodes} is out of range 0..${maxNodeIndex}`);
  }
  return nodes;
}

export function planNodes(config: ClusterConfig): NodePlan[] {
  validateNodeCount(config.nodes);
  return Array.from({ length: config.nodes }, (_, i) => planNode(config, i + 1));
}

/** The lowest index no existing node uses, so a removed node's name and pod CIDR are reused. */
export function nextNodeIndex(used: number[]): number {
  const taken = new Set(used);
  let index = 1;
  while (taken.has(index)) index += 1;
  return index;
}
