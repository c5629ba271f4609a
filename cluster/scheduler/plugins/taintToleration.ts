// TaintToleration: a node's NoSchedule/NoExecute taints must all be tolerated (filter); nodes with
// fewer untolerated PreferNoSchedule taints score higher (weight 3 in the default profile).

import type { V1Toleration } from '@kubernetes/client-node';
import { defaultNormalizeScore, type FilterPlugin, rejection, type ScorePlugin } from '../framework';
import { firstUntoleratedTaint, tolerated } from '../tolerations';

/** "node(s) had untolerated taint {key: value}", as kube-scheduler prints it. */
export function untoleratedTaintReason(key: string, value: string | undefined): string {
  return `node(s) had untolerated taint {${key}: ${value ?? ''}}`;
}

export const taintTolerationFilter: FilterPlugin = {
  name: 'TaintToleration',
  preFilter(pod, cluster) {
    if (cluster.tally.filterTainted === 0) return undefined;
    const tolerations = pod.pod.spec?.tolerations ?? [];
    return (node) => {
      if (node.filterTaints.length === 0) return undefined;
      const taint = firstUntoleratedTaint(node.filterTaints, tolerations);
      return taint
        ? rejection(
            'TaintToleration',
            'UnschedulableAndUnresolvable',
            untoleratedTaintReason(taint.key, taint.value),
          )
        : undefined;
    };
  },
};

export const taintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  preScore(pod, _feasible, cluster) {
    if (cluster.tally.preferNoScheduleTainted === 0) return undefined;
    const tolerations: V1Toleration[] = (pod.pod.spec?.tolerations ?? []).filter(
      (t) => !t.effect || t.effect === 'PreferNoSchedule',
    );
    return {
      score: (node) => node.preferNoScheduleTaints.filter((taint) => !tolerated(taint, tolerations)).length,
      normalize: (scores) => defaultNormalizeScore(scores, true),
    };
  },
};
