// NodeAffinity: spec.nodeSelector and required node affinity filter nodes; preferred node affinity
// terms add their weights to the nodes they match (weight 2 in the default profile).

import { defaultNormalizeScore, type FilterPlugin, rejection, type ScorePlugin } from '../framework';
import { nodeSelectorTermPredicate, requiredNodeAffinity } from '../nodeSelectors';

export const errReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";

const mismatch = rejection('NodeAffinity', 'UnschedulableAndUnresolvable', errReasonNodeAffinity);

export const nodeAffinityFilter: FilterPlugin = {
  name: 'NodeAffinity',
  preFilter(pod) {
    const matches = requiredNodeAffinity(pod.pod);
    if (!matches) return undefined;
    return (node) => (matches(node) ? undefined : mismatch);
  },
};

export const nodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  preScore(pod) {
    const preferred = (
      pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
    )
      .filter((t) => t.weight !== 0)
      .map((t) => ({ weight: t.weight, matches: nodeSelectorTermPredicate(t.preference) }));
    if (preferred.length === 0) return undefined;
    return {
      score: (node) => preferred.reduce((sum, t) => (t.matches(node) ? sum + t.weight : sum), 0),
      normalize: (scores) => defaultNormalizeScore(scores, false),
    };
  },
};
