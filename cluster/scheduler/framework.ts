// The plugin contract, shaped like kube-scheduler's framework but as closures: a plugin looks at
// the pod once (PreFilter/PreScore) and returns a per-node function, or nothing when it has no say
// for this pod, so the per-node loop runs only the checks that matter.
// https://kubernetes.io/docs/concepts/scheduling-eviction/scheduling-framework/

import type { NamespaceLabels } from './affinityTerms';
import type { NodeInfo } from './nodeInfo';
import type { PodInfo } from './podInfo';

/**
 * Unschedulable: preemption might help. UnschedulableAndUnresolvable: it would not (the node's
 * labels, taints or size rule the pod out), so preemption skips the node.
 */
export type RejectionCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface Rejection {
  readonly code: RejectionCode;
  /** Kubernetes' reason strings, counted per node in the FailedScheduling message. */
  readonly reasons: readonly string[];
  readonly plugin: string;
}

export function rejection(plugin: string, code: RejectionCode, ...reasons: string[]): Rejection {
  return { plugin, code, reasons };
}

/** What plugins may read about the cluster: the scheduler cache, consistent during one cycle. */
export interface ClusterView {
  /** Nodes that have a Node object, in a stable order. */
  readonly nodes: readonly NodeInfo[];
  nodeInfo(name: string): NodeInfo | undefined;
  /** Nodes running at least one pod with (anti-)affinity terms. */
  nodesWithAffinityPods(): Iterable<NodeInfo>;
  /** Nodes running at least one pod with required anti-affinity terms. */
  nodesWithRequiredAntiAffinityPods(): Iterable<NodeInfo>;
  /** How many nodes report an image by this name. */
  imageNodeCount(name: string): number;
  /** How many nodes are in each state a filter or score cares about; a plugin with nothing to
   * find skips itself. */
  readonly tally: Readonly<NodeTally>;
  namespaceLabels: NamespaceLabels;
}

export interface NodeTally {
  notReady: number;
  cordoned: number;
  /** Nodes with NoSchedule or NoExecute taints. */
  filterTainted: number;
  /** Nodes with PreferNoSchedule taints. */
  preferNoScheduleTainted: number;
}

export type NodeFilter = (node: NodeInfo) => Rejection | undefined;

/** PreFilter result: a filter to run per node, a rejection for every node, or undefined (skip). */
export type PreFilterResult = NodeFilter | Rejection | undefined;

export interface FilterPlugin {
  readonly name: string;
  preFilter(pod: PodInfo, cluster: ClusterView): PreFilterResult;
}

export const maxNodeScore = 100;

export interface NodeScorer {
  score(node: NodeInfo): number;
  /** Rescales the raw scores of `nodes` (same order) into 0..maxNodeScore in place. */
  normalize?(scores: number[], nodes: readonly NodeInfo[]): void;
}

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** Undefined when the plugin would give every node the same score. */
  preScore(pod: PodInfo, feasible: readonly NodeInfo[], cluster: ClusterView): NodeScorer | undefined;
}

/** helper.DefaultNormalizeScore: scale so the best is maxNodeScore; `reverse` flips low and high. */
export function defaultNormalizeScore(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(maxNodeScore);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const scaled = Math.trunc((maxNodeScore * (scores[i] as number)) / max);
    scores[i] = reverse ? maxNodeScore - scaled : scaled;
  }
}
