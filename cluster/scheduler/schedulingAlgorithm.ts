// One scheduling decision (kube-scheduler's schedulePod): PreFilter, then Filter over nodes starting
// where the last pod stopped and only until enough feasible nodes are found
// (percentageOfNodesToScore), then Score with plugin weights, then the best node with ties broken
// at random. Synchronous over the live cache, so it sees every pod assumed before it.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/schedule_one.go

import type { ClusterView, FilterPlugin, NodeFilter, Rejection, ScorePlugin } from './framework';
import type { NodeInfo } from './nodeInfo';
import type { PodInfo } from './podInfo';

export interface Profile {
  /** In kube-scheduler's default order, which decides the reason a node reports. */
  filters: readonly FilterPlugin[];
  scorers: readonly ScorePlugin[];
}

export interface AlgorithmOptions {
  /** 0 (the default) adapts: 50% of nodes minus 1% per 125 nodes, at least 5%, at least 100 nodes. */
  percentageOfNodesToScore?: number;
  /** Tie-breaking between equally good nodes; tests pass a fixed sequence. */
  random?: () => number;
}

export interface Diagnosis {
  numAllNodes: number;
  /** The nodes evaluated and rejected, with the first filter that rejected each. */
  statuses: Map<NodeInfo, Rejection>;
  /** Set when a PreFilter ruled out every node. */
  preFilter?: Rejection;
  /** Plugins behind the rejections, for deciding which cluster events could help. */
  rejectedBy: Set<string>;
  /** This cycle's per-node filters, for preemption's what-if checks. */
  filters: readonly NodeFilter[];
}

export type ScheduleResult =
  | { kind: 'scheduled'; node: NodeInfo; feasibleNodes: number; evaluatedNodes: number }
  | { kind: 'unschedulable'; diagnosis: Diagnosis }
  | { kind: 'noNodes' };

const minFeasibleNodesToFind = 100;
const minFeasibleNodesPercentageToFind = 5;

export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < minFeasibleNodesToFind) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = Math.max(50 - Math.trunc(numAllNodes / 125), minFeasibleNodesPercentageToFind);
  }
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return Math.max(numNodes, minFeasibleNodesToFind);
}

/** Runs the filters in order; the first rejection decides the node's status. */
export function runFilters(filters: readonly NodeFilter[], node: NodeInfo): Rejection | undefined {
  for (const filter of filters) {
    const rejected = filter(node);
    if (rejected) return rejected;
  }
  return undefined;
}

export class SchedulingAlgorithm {
  private nextStartNodeIndex = 0;
  private readonly random: () => number;

  constructor(
    private readonly profile: Profile,
    private readonly options: AlgorithmOptions = {},
  ) {
    this.random = options.random ?? Math.random;
  }

  schedule(pod: PodInfo, cluster: ClusterView): ScheduleResult {
    const nodes = cluster.nodes;
    if (nodes.length === 0) return { kind: 'noNodes' };
    const diagnosis: Diagnosis = {
      numAllNodes: nodes.length,
      statuses: new Map(),
      rejectedBy: new Set(),
      filters: [],
    };
    const filters: NodeFilter[] = [];
    for (const plugin of this.profile.filters) {
      const result = plugin.preFilter(pod, cluster);
      if (result === undefined) continue;
      if (typeof result !== 'function') {
        diagnosis.preFilter = result;
        diagnosis.rejectedBy.add(result.plugin);
        return { kind: 'unschedulable', diagnosis };
      }
      filters.push(result);
    }
    diagnosis.filters = filters;

    const wanted = numFeasibleNodesToFind(nodes.length, this.options.percentageOfNodesToScore);
    const feasible: NodeInfo[] = [];
    let processed = 0;
    for (let i = 0; i < nodes.length && feasible.length < wanted; i++) {
      const node = nodes[(this.nextStartNodeIndex + i) % nodes.length] as NodeInfo;
      processed++;
      const rejected = runFilters(filters, node);
      if (rejected) {
        diagnosis.statuses.set(node, rejected);
        diagnosis.rejectedBy.add(rejected.plugin);
      } else {
        feasible.push(node);
      }
    }
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % nodes.length;
    if (feasible.length === 0) return { kind: 'unschedulable', diagnosis };
    const best = feasible.length === 1 ? (feasible[0] as NodeInfo) : this.selectHost(pod, feasible, cluster);
    return { kind: 'scheduled', node: best, feasibleNodes: feasible.length, evaluatedNodes: processed };
  }

  /** Weighted sum of normalized plugin scores; the best node wins, ties by reservoir sampling. */
  private selectHost(pod: PodInfo, feasible: NodeInfo[], cluster: ClusterView): NodeInfo {
    const totals = new Float64Array(feasible.length);
    for (const plugin of this.profile.scorers) {
      const scorer = plugin.preScore(pod, feasible, cluster);
      if (!scorer) continue;
      const scores = feasible.map((node) => scorer.score(node));
      scorer.normalize?.(scores, feasible);
      for (let i = 0; i < scores.length; i++)
        totals[i] = (totals[i] as number) + (scores[i] as number) * plugin.weight;
    }
    let selected = 0;
    let ties = 1;
    for (let i = 1; i < feasible.length; i++) {
      const score = totals[i] as number;
      const best = totals[selected] as number;
      if (score > best) {
        selected = i;
        ties = 1;
      } else if (score === best) {
        ties++;
        if (Math.floor(this.random() * ties) === 0) selected = i;
      }
    }
    return feasible[selected] as NodeInfo;
  }
}
