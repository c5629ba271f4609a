// PodTopologySpread (filter): for DoNotSchedule constraints, placing the pod must keep
// `matching pods in the node's domain + self - global minimum <= maxSkew`, where the minimum is 0
// while fewer than minDomains domains exist. Nodes without the topology label are ruled out.

import { type FilterPlugin, rejection } from '../framework';
import type { PodInfo } from '../podInfo';
import {
  countMatchingPods,
  hasAllTopologyKeys,
  type SpreadSelector,
  spreadConstraints,
} from './spreadConstraints';

export const errReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const errReasonNodeLabelNotMatch = `${errReasonConstraintsNotMatch} (missing required label)`;

const missingLabel = rejection(
  'PodTopologySpread',
  'UnschedulableAndUnresolvable',
  errReasonNodeLabelNotMatch,
);
const skewed = rejection('PodTopologySpread', 'Unschedulable', errReasonConstraintsNotMatch);

export function podTopologySpreadFilter(
  defaultSelector: (pod: PodInfo) => SpreadSelector | undefined,
): FilterPlugin {
  return {
    name: 'PodTopologySpread',
    preFilter(pod, cluster) {
      const { constraints } = spreadConstraints(pod, 'DoNotSchedule', defaultSelector);
      if (constraints.length === 0) return undefined;
      const counts = constraints.map(() => new Map<string, number>());
      for (const node of cluster.nodes) {
        if (!hasAllTopologyKeys(node, constraints)) continue;
        constraints.forEach((c, i) => {
          if (!c.includes(node)) return;
          const value = node.labels[c.topologyKey] as string;
          const domain = counts[i] as Map<string, number>;
          domain.set(value, (domain.get(value) ?? 0) + countMatchingPods(node, c.selector, pod.namespace));
        });
      }
      const minima = constraints.map((c, i) => {
        const domain = counts[i] as Map<string, number>;
        if (domain.size < c.minDomains) return 0;
        let min = Number.POSITIVE_INFINITY;
        for (const n of domain.values()) min = Math.min(min, n);
        return min;
      });
      const selfMatches = constraints.map((c) => (c.selector.matches(pod.labels) ? 1 : 0));

      return (node) => {
        for (let i = 0; i < constraints.length; i++) {
          const c = constraints[i];
          if (!c) continue;
          if (!Object.hasOwn(node.labels, c.topologyKey)) return missingLabel;
          const matching = counts[i]?.get(node.labels[c.topologyKey] as string) ?? 0;
          if (matching + (selfMatches[i] ?? 0) - (minima[i] ?? 0) > c.maxSkew) return skewed;
        }
        return undefined;
      };
    },
  };
}
