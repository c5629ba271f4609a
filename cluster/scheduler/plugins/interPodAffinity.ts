// InterPodAffinity (filter): required pod affinity and anti-affinity of the incoming pod, and the
// required anti-affinity of pods already running, per topology domain (a node label's value).
// Counts are gathered once per pod from the cache, then each node is a few map lookups.

import { type AffinityTerm, matchesAllTerms, termMatches } from '../affinityTerms';
import { type ClusterView, type FilterPlugin, rejection } from '../framework';
import type { NodeInfo } from '../nodeInfo';
import type { PodInfo } from '../podInfo';

export const errReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const errReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";
export const errReasonExistingAntiAffinityRulesNotMatch =
  "node(s) didn't satisfy existing pods anti-affinity rules";

const affinityMismatch = rejection(
  'InterPodAffinity',
  'UnschedulableAndUnresolvable',
  errReasonAffinityRulesNotMatch,
);
const antiAffinityMismatch = rejection(
  'InterPodAffinity',
  'Unschedulable',
  errReasonAntiAffinityRulesNotMatch,
);
const existingAntiAffinityMismatch = rejection(
  'InterPodAffinity',
  'Unschedulable',
  errReasonExistingAntiAffinityRulesNotMatch,
);

/** Counts per topology pair, keyed `key\0value`. */
type TopologyCounts = Map<string, number>;

const pair = (key: string, value: string) => `${key}\0${value}`;

function bump(counts: TopologyCounts, node: NodeInfo, term: AffinityTerm): void {
  if (!Object.hasOwn(node.labels, term.topologyKey)) return;
  const k = pair(term.topologyKey, node.labels[term.topologyKey] as string);
  counts.set(k, (counts.get(k) ?? 0) + 1);
}

/** Domains where a running pod's required anti-affinity matches the incoming pod. */
function existingAntiAffinityCounts(pod: PodInfo, cluster: ClusterView): TopologyCounts {
  const counts: TopologyCounts = new Map();
  for (const node of cluster.nodesWithRequiredAntiAffinityPods()) {
    for (const existing of node.podsWithRequiredAntiAffinity) {
      for (const term of existing.requiredAntiAffinity) {
        if (termMatches(term, pod, cluster.namespaceLabels)) bump(counts, node, term);
      }
    }
  }
  return counts;
}

export const interPodAffinityFilter: FilterPlugin = {
  name: 'InterPodAffinity',
  preFilter(pod, cluster) {
    const existing = existingAntiAffinityCounts(pod, cluster);
    const { requiredAffinity, requiredAntiAffinity } = pod;
    if (existing.size === 0 && requiredAffinity.length === 0 && requiredAntiAffinity.length === 0)
      return undefined;
    const affinity: TopologyCounts = new Map();
    const antiAffinity: TopologyCounts = new Map();
    if (requiredAffinity.length > 0 || requiredAntiAffinity.length > 0) {
      for (const node of cluster.nodes) {
        for (const other of node.pods.values()) {
          if (matchesAllTerms(requiredAffinity, other, cluster.namespaceLabels)) {
            for (const term of requiredAffinity) bump(affinity, node, term);
          }
          for (const term of requiredAntiAffinity) {
            if (termMatches(term, other, cluster.namespaceLabels)) bump(antiAffinity, node, term);
          }
        }
      }
    }
    // The first pod of a group with affinity to itself may go anywhere its topology keys exist.
    const selfAffine = affinity.size === 0 && matchesAllTerms(requiredAffinity, pod, cluster.namespaceLabels);

    return (node) => {
      let podsExist = true;
      for (const term of requiredAffinity) {
        if (!Object.hasOwn(node.labels, term.topologyKey)) return affinityMismatch;
        if ((affinity.get(pair(term.topologyKey, node.labels[term.topologyKey] as string)) ?? 0) <= 0) {
          podsExist = false;
        }
      }
      if (!podsExist && !selfAffine) return affinityMismatch;
      for (const term of requiredAntiAffinity) {
        if (!Object.hasOwn(node.labels, term.topologyKey)) continue;
        if ((antiAffinity.get(pair(term.topologyKey, node.labels[term.topologyKey] as string)) ?? 0) > 0) {
          return antiAffinityMismatch;
        }
      }
      if (existing.size > 0) {
        for (const [key, value] of Object.entries(node.labels)) {
          if ((existing.get(pair(key, value)) ?? 0) > 0) return existingAntiAffinityMismatch;
        }
      }
      return undefined;
    };
  },
};
