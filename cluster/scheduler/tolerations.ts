// Taints and tolerations, as core/v1 Toleration.ToleratesTaint: an empty effect matches every
// effect, an empty key with Exists matches every taint, Equal (the default) compares values.

import type { V1Taint, V1Toleration } from '@kubernetes/client-node';

export function toleratesTaint(toleration: V1Toleration, taint: V1Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
    case '':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function tolerated(taint: V1Taint, tolerations: readonly V1Toleration[]): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}

/** The first taint no toleration covers (FindMatchingUntoleratedTaint). */
export function firstUntoleratedTaint(
  taints: readonly V1Taint[],
  tolerations: readonly V1Toleration[],
): V1Taint | undefined {
  return taints.find((taint) => !tolerated(taint, tolerations));
}
