// Nodes, pods and a cache to run plugins against in unit tests, without an API server.

import type { V1Container, V1Node, V1Pod, V1PodSpec, V1Taint } from '@kubernetes/client-node';
import { defaultProfile } from '../defaultProfile';
import type { FilterPlugin, Rejection, ScorePlugin } from '../framework';
import { type PodInfo, podInfo } from '../podInfo';
import { SchedulerCache } from '../schedulerCache';

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: V1Taint[];
  ready?: boolean;
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
}

export function testNode(name: string, options: NodeOptions = {}): V1Node {
  const allocatable = {
    cpu: options.cpu ?? '4',
    memory: options.memory ?? '8Gi',
    pods: options.pods ?? '110',
  };
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...options.labels } },
    spec: {
      ...(options.taints ? { taints: options.taints } : {}),
      ...(options.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      allocatable,
      capacity: allocatable,
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
      ...(options.images ? { images: options.images } : {}),
    },
  };
}

export interface PodOptions extends Partial<V1PodSpec> {
  namespace?: string;
  labels?: Record<string, string>;
  requests?: Record<string, string>;
  uid?: string;
}

export function testPod(name: string, options: PodOptions = {}): V1Pod {
  const { namespace = 'default', labels, requests, uid, ...spec } = options;
  const container: V1Container = {
    name: 'app',
    image: 'nginx',
    ...(requests ? { resources: { requests } } : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: uid ?? `uid-${namespace}-${name}`, ...(labels ? { labels } : {}) },
    spec: { containers: [container], ...spec },
  };
}

export const info = (name: string, options: PodOptions = {}): PodInfo => podInfo(testPod(name, options));

/** The default plugins over a cluster with no volumes, Services or workload controllers. */
export const emptyClusterProfile = defaultProfile({
  volumes: {
    claim: () => undefined,
    volume: () => undefined,
    storageClass: () => undefined,
    volumesOfClass: () => [],
    isVolumeReserved: () => false,
  },
  workloads: { servicesIn: () => [], replicaSet: () => undefined, statefulSet: () => undefined },
});

/** A cache holding the nodes, and the pods bound where their spec.nodeName says. */
export function testCluster(
  nodes: V1Node[],
  pods: V1Pod[] = [],
  namespaceLabels: Record<string, Record<string, string>> = {},
): SchedulerCache {
  const cache = new SchedulerCache((ns) => namespaceLabels[ns]);
  for (const node of nodes) cache.setNode(node);
  for (const pod of pods) cache.addPod(pod);
  return cache;
}

/** What a filter plugin says about one node: undefined when the pod may go there. */
export function filterOn(
  plugin: FilterPlugin,
  pod: PodInfo,
  cluster: SchedulerCache,
  nodeName: string,
): Rejection | undefined {
  const result = plugin.preFilter(pod, cluster);
  if (result === undefined || typeof result !== 'function') return result;
  const node = cluster.nodeInfo(nodeName);
  if (!node) throw new Error(`no node ${nodeName}`);
  return result(node);
}

/** A score plugin's normalized scores for every node, or undefined when it skips the pod. */
export function scoresOf(
  plugin: ScorePlugin,
  pod: PodInfo,
  cluster: SchedulerCache,
): Record<string, number> | undefined {
  const nodes = cluster.nodes;
  const scorer = plugin.preScore(pod, nodes, cluster);
  if (!scorer) return undefined;
  const scores = nodes.map((n) => scorer.score(n));
  scorer.normalize?.(scores, nodes);
  return Object.fromEntries(nodes.map((n, i) => [n.name, scores[i] as number]));
}
