// InterPodAffinity (score): preferred affinity adds, preferred anti-affinity subtracts, per topology
// domain of each matching running pod; running pods' preferred terms (and required affinity, with
// hardPodAffinityWeight 1) that match the incoming pod count too. Scores are rescaled min..max to
// 0..100 (weight 2). Without preferred terms of its own, only nodes with affinity pods matter.

import { termMatches, type WeightedAffinityTerm } from '../affinityTerms';
import { maxNodeScore, type ScorePlugin } from '../framework';
import type { NodeInfo } from '../nodeInfo';
import type { PodInfo } from '../podInfo';

const hardPodAffinityWeight = 1;

/** topologyKey → value → score */
type TopologyScore = Map<string, Map<string, number>>;

export const interPodAffinityScore: ScorePlugin = {
  name: 'InterPodAffinity',
  weight: 2,
  preScore(pod, _feasible, cluster) {
    const hasOwnPreferences = pod.preferredAffinity.length > 0 || pod.preferredAntiAffinity.length > 0;
    const topology: TopologyScore = new Map();
    const add = (node: NodeInfo, key: string, amount: number) => {
      if (!Object.hasOwn(node.labels, key)) return;
      const value = node.labels[key] as string;
      let values = topology.get(key);
      if (!values) {
        values = new Map();
        topology.set(key, values);
      }
      values.set(value, (values.get(value) ?? 0) + amount);
    };
    const incomingTerms = (
      terms: readonly WeightedAffinityTerm[],
      other: PodInfo,
      node: NodeInfo,
      sign: number,
    ) => {
      for (const t of terms)
        if (termMatches(t, other, cluster.namespaceLabels)) add(node, t.topologyKey, sign * t.weight);
    };
    const existingTerms = (terms: readonly WeightedAffinityTerm[], node: NodeInfo, sign: number) => {
      for (const t of terms)
        if (termMatches(t, pod, cluster.namespaceLabels)) add(node, t.topologyKey, sign * t.weight);
    };
    const nodes = hasOwnPreferences ? cluster.nodes : cluster.nodesWithAffinityPods();
    for (const node of nodes) {
      if (Object.keys(node.labels).length === 0) continue;
      const others = hasOwnPreferences ? node.pods.values() : node.podsWithAffinity.values();
      for (const other of others) {
        incomingTerms(pod.preferredAffinity, other, node, 1);
        incomingTerms(pod.preferredAntiAffinity, other, node, -1);
        for (const t of other.requiredAffinity) {
          if (termMatches(t, pod, cluster.namespaceLabels)) add(node, t.topologyKey, hardPodAffinityWeight);
        }
        existingTerms(other.preferredAffinity, node, 1);
        existingTerms(other.preferredAntiAffinity, node, -1);
      }
    }
    if (topology.size === 0) return undefined;
    return {
      score(node) {
        let score = 0;
        for (const [key, values] of topology) {
          if (Object.hasOwn(node.labels, key)) score += values.get(node.labels[key] as string) ?? 0;
        }
        return score;
      },
      normalize(scores) {
        let min = Number.POSITIVE_INFINITY;
        let max = Number.NEGATIVE_INFINITY;
        for (const s of scores) {
          min = Math.min(min, s);
          max = Math.max(max, s);
        }
        const spread = max - min;
        for (let i = 0; i < scores.length; i++) {
          scores[i] = spread > 0 ? Math.trunc((maxNodeScore * ((scores[i] as number) - min)) / spread) : 0;
        }
      },
    };
  },
};
