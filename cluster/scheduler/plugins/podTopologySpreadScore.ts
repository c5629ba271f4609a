// PodTopologySpread (score): for ScheduleAnyway constraints (or the system defaults — hostname
// maxSkew 3, zone maxSkew 5 — for pods of a Service, ReplicaSet or StatefulSet that declare none),
// nodes in domains with fewer matching pods score higher: raw = Σ count × log(domains + 2) +
// (maxSkew − 1), rescaled so the least crowded node gets 100 (weight 2).

import { maxNodeScore, type ScorePlugin } from '../framework';
import type { NodeInfo } from '../nodeInfo';
import type { PodInfo } from '../podInfo';
import {
  countMatchingPods,
  hasAllTopologyKeys,
  hostnameLabel,
  type SpreadSelector,
  spreadConstraints,
} from './spreadConstraints';

export function podTopologySpreadScore(
  defaultSelector: (pod: PodInfo) => SpreadSelector | undefined,
): ScorePlugin {
  return {
    name: 'PodTopologySpread',
    weight: 2,
    preScore(pod, feasible, cluster) {
      const { constraints, systemDefaulted } = spreadConstraints(pod, 'ScheduleAnyway', defaultSelector);
      if (constraints.length === 0) return undefined;
      // System defaults do not require every key, so nodes without a zone still spread by hostname.
      const requireAll = !systemDefaulted;
      const ignored = new Set<NodeInfo>();
      const counts = constraints.map(() => new Map<string, number>());
      for (const node of feasible) {
        if (requireAll && !hasAllTopologyKeys(node, constraints)) {
          ignored.add(node);
          continue;
        }
        constraints.forEach((c, i) => {
          if (c.topologyKey === hostnameLabel || !Object.hasOwn(node.labels, c.topologyKey)) return;
          counts[i]?.set(node.labels[c.topologyKey] as string, 0);
        });
      }
      const weights = constraints.map((c, i) =>
        Math.log(
          (c.topologyKey === hostnameLabel ? feasible.length - ignored.size : (counts[i]?.size ?? 0)) + 2,
        ),
      );
      for (const node of cluster.nodes) {
        if (requireAll && !hasAllTopologyKeys(node, constraints)) continue;
        constraints.forEach((c, i) => {
          const domain = counts[i];
          if (!domain || !c.includes(node) || !Object.hasOwn(node.labels, c.topologyKey)) return;
          const value = node.labels[c.topologyKey] as string;
          const current = domain.get(value);
          if (current === undefined) return;
          domain.set(value, current + countMatchingPods(node, c.selector, pod.namespace));
        });
      }
      return {
        score(node) {
          if (ignored.has(node)) return 0;
          let score = 0;
          constraints.forEach((c, i) => {
            if (!Object.hasOwn(node.labels, c.topologyKey)) return;
            const count =
              c.topologyKey === hostnameLabel
                ? countMatchingPods(node, c.selector, pod.namespace)
                : (counts[i]?.get(node.labels[c.topologyKey] as string) ?? 0);
            score += count * (weights[i] as number) + (c.maxSkew - 1);
          });
          return Math.round(score);
        },
        normalize(scores, nodes) {
          let min = Number.POSITIVE_INFINITY;
          let max = 0;
          nodes.forEach((node, i) => {
            if (ignored.has(node)) return;
            min = Math.min(min, scores[i] as number);
            max = Math.max(max, scores[i] as number);
          });
          nodes.forEach((node, i) => {
            if (ignored.has(node)) scores[i] = 0;
            else if (max === 0) scores[i] = maxNodeScore;
            else scores[i] = Math.trunc((maxNodeScore * (max + min - (scores[i] as number))) / max);
          });
        },
      };
    },
  };
}
