// DefaultPreemption (PostFilter): when no node fits, find nodes where evicting lower-priority pods
// would make room, choose the one that hurts least, and name its victims; otherwise explain why
// not, in kube-scheduler's words ("preemption: 0/3 nodes are available: 3 Preemption is not
// helpful for scheduling."). Victims are chosen by removing every lower-priority pod, then letting
// back the most important ones that still leave room — first those whose eviction would break a
// PodDisruptionBudget, then the rest — and nodes needing fewer budget violations win first.
// Simplification: the what-if re-runs the cycle's filters on a copy of the node, so pod
// (anti-)affinity and spread counts are not recomputed.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/preemption/preemption.go

import type { V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { labelSelectorFromObject } from '../registry/selectors';
import { fitErrorMessage } from './fitError';
import type { ClusterView, Rejection } from './framework';
import type { NodeInfo } from './nodeInfo';
import type { PodInfo } from './podInfo';
import { type Diagnosis, runFilters } from './schedulingAlgorithm';

export const notHelpful = 'Preemption is not helpful for scheduling';
export const noVictims = 'No preemption victims found for incoming pod';

export interface PreemptionResult {
  /** The PostFilter message; absent when a node was nominated. */
  message?: string;
  nominated?: Candidate;
}

interface Candidate {
  node: NodeInfo;
  /** Most important first. */
  victims: PodInfo[];
  /** Victims whose eviction takes a budget below zero disruptions allowed. */
  pdbViolations: number;
}

const minCandidateNodesPercentage = 10;
const minCandidateNodesAbsolute = 100;

function startTime(pod: V1Pod): number {
  const t = pod.status?.startTime ?? pod.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : Number.MAX_SAFE_INTEGER;
}

/** MoreImportantPod: higher priority, then the longer-running pod. */
function moreImportant(a: PodInfo, b: PodInfo): number {
  return a.priority !== b.priority ? b.priority - a.priority : startTime(a.pod) - startTime(b.pod);
}

/** A pod the scheduler is already evicting (DisruptionTarget=True, reason PreemptionByScheduler). */
function terminatingByPreemption(p: PodInfo): boolean {
  return (
    p.terminating &&
    (p.pod.status?.conditions ?? []).some(
      (c) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'PreemptionByScheduler',
    )
  );
}

function ineligibility(pod: PodInfo, diagnosis: Diagnosis, cluster: ClusterView): string | undefined {
  if (pod.pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominatedName = pod.pod.status?.nominatedNodeName;
  const nominated = nominatedName ? cluster.nodeInfo(nominatedName) : undefined;
  if (!nominated || diagnosis.statuses.get(nominated)?.code === 'UnschedulableAndUnresolvable')
    return undefined;
  for (const p of nominated.pods.values()) {
    if (p.priority < pod.priority && terminatingByPreemption(p)) {
      return 'not eligible due to a terminating pod on the nominated node.';
    }
  }
  return undefined;
}

/**
 * filterPodsWithPDBViolation: walking `pods` in order, each pod a budget selects uses up one of
 * that budget's allowed disruptions; a pod that takes any budget below zero would violate it. A
 * budget with an empty selector matches nothing here, and a pod already in a budget's
 * disruptedPods has been counted by the API server.
 */
export function splitByBudgetViolation(
  pods: readonly PodInfo[],
  budgets: readonly V1PodDisruptionBudget[],
): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = budgets.map((b) => b.status?.disruptionsAllowed ?? 0);
  const selectors = budgets.map((b) => labelSelectorFromObject(b.spec?.selector));
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const p of pods) {
    const meta = p.pod.metadata ?? {};
    let violates = false;
    if (meta.labels && Object.keys(meta.labels).length > 0) {
      budgets.forEach((budget, i) => {
        const selector = selectors[i];
        if (budget.metadata?.namespace !== meta.namespace || !selector) return;
        if (selector.isEverything() || !selector.matches(meta.labels)) return;
        if (meta.name && budget.status?.disruptedPods?.[meta.name] !== undefined) return;
        allowed[i] = (allowed[i] ?? 0) - 1;
        if ((allowed[i] ?? 0) < 0) violates = true;
      });
    }
    (violates ? violating : nonViolating).push(p);
  }
  return { violating, nonViolating };
}

/**
 * SelectVictimsOnNode: the fewest, least important lower-priority pods whose eviction makes room,
 * sparing pods whose eviction would violate a PodDisruptionBudget first.
 */
function selectVictims(
  pod: PodInfo,
  node: NodeInfo,
  diagnosis: Diagnosis,
  budgets: readonly V1PodDisruptionBudget[],
): Candidate | Rejection {
  const lower = [...node.pods.values()].filter((p) => p.priority < pod.priority);
  if (lower.length === 0)
    return { plugin: 'DefaultPreemption', code: 'UnschedulableAndUnresolvable', reasons: [noVictims] };
  const what = node.clone();
  for (const p of lower) what.removePod(p.uid);
  const stillRejected = runFilters(diagnosis.filters, what);
  if (stillRejected) return stillRejected;
  const { violating, nonViolating } = splitByBudgetViolation(lower.sort(moreImportant), budgets);
  const victims: PodInfo[] = [];
  /** Lets `p` stay when the preemptor still fits; true when it must go. */
  const mustGo = (p: PodInfo) => {
    what.addPod(p);
    if (!runFilters(diagnosis.filters, what)) return false;
    what.removePod(p.uid);
    victims.push(p);
    return true;
  };
  let pdbViolations = 0;
  for (const p of violating) if (mustGo(p)) pdbViolations++;
  for (const p of nonViolating) mustGo(p);
  return { node, victims: victims.sort(moreImportant), pdbViolations };
}

/** pickOneNodeForPreemption's criteria, in order. */
function pickCandidate(candidates: Candidate[]): Candidate | undefined {
  const int32Offset = 2 ** 31;
  const criteria: ((c: Candidate) => number)[] = [
    (c) => c.pdbViolations,
    (c) => c.victims[0]?.priority ?? Number.MIN_SAFE_INTEGER,
    (c) => c.victims.reduce((sum, v) => sum + v.priority + int32Offset, 0),
    (c) => c.victims.length,
    // Prefer the node whose most important victims started last.
    (c) => {
      const top = c.victims[0]?.priority;
      const starts = c.victims.filter((v) => v.priority === top).map((v) => startTime(v.pod));
      return -Math.min(...starts);
    },
  ];
  let remaining = candidates;
  for (const criterion of criteria) {
    const best = Math.min(...remaining.map(criterion));
    remaining = remaining.filter((c) => criterion(c) === best);
    if (remaining.length === 1) break;
  }
  return remaining[0];
}

export function preempt(
  pod: PodInfo,
  diagnosis: Diagnosis,
  cluster: ClusterView,
  random: () => number = Math.random,
  budgets: readonly V1PodDisruptionBudget[] = [],
): PreemptionResult {
  const reason = ineligibility(pod, diagnosis, cluster);
  if (reason) return { message: `preemption: ${reason}` };
  const nodes = cluster.nodes;
  const statusOf = (node: NodeInfo) => diagnosis.preFilter ?? diagnosis.statuses.get(node);
  const potential = nodes.filter((n) => statusOf(n)?.code === 'Unschedulable');
  const dryRunStatuses = new Map<NodeInfo, Rejection>();
  const candidates: Candidate[] = [];
  if (potential.length > 0) {
    const wanted = Math.min(
      Math.max(Math.trunc((potential.length * minCandidateNodesPercentage) / 100), minCandidateNodesAbsolute),
      potential.length,
    );
    const offset = Math.floor(random() * potential.length);
    for (let i = 0; i < potential.length && candidates.length < wanted; i++) {
      const node = potential[(offset + i) % potential.length] as NodeInfo;
      const selected = selectVictims(pod, node, diagnosis, budgets);
      if ('victims' in selected) candidates.push(selected);
      else dryRunStatuses.set(node, selected);
    }
  }
  const chosen = pickCandidate(candidates);
  if (chosen) return { nominated: chosen };
  const explanation = fitErrorMessage({
    numAllNodes: nodes.length,
    nodeReasons: [...dryRunStatuses.values()].map((s) => s.reasons),
    absentNodes: { count: nodes.length - dryRunStatuses.size, reasons: [notHelpful] },
  });
  return { message: `preemption: ${explanation}` };
}
