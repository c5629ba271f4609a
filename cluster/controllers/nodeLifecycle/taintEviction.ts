// Pure: when a pod must leave a node because of the node's NoExecute taints, as Kubernetes' taint
// eviction controller decides it: a taint no toleration matches evicts at once; otherwise the pod
// goes when the shortest tolerationSeconds among the tolerations used runs out, counted from when
// each taint was added; tolerations without tolerationSeconds tolerate forever.

import type { V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';

/** v1.Toleration.ToleratesTaint. */
export function tolerates(toleration: V1Toleration, taint: V1Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator || 'Equal';
  if (operator === 'Exists') return true;
  return operator === 'Equal' && (toleration.value ?? '') === (taint.value ?? '');
}

export type Eviction = { at: 'now' } | { at: Date } | undefined;

/**
 * When the pod is to be evicted from a node with these NoExecute taints; undefined when never.
 * `since` says when a taint started counting (its timeAdded, or when it was first seen).
 */
export function evictionFor(pod: V1Pod, taints: V1Taint[], since: (taint: V1Taint) => Date): Eviction {
  const tolerations = pod.spec?.tolerations ?? [];
  let earliest: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    // As GetMatchingTolerations: the first toleration matching a taint is the one used.
    const used = tolerations.find((t) => tolerates(t, taint));
    if (!used) return { at: 'now' };
    if (used.tolerationSeconds === undefined || used.tolerationSeconds === null) continue;
    const at = since(taint).getTime() + Math.max(0, used.tolerationSeconds) * 1000;
    earliest = earliest === undefined ? at : Math.min(earliest, at);
  }
  return earliest === undefined ? undefined : { at: new Date(earliest) };
}
