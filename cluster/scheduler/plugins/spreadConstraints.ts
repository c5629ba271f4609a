// topologySpreadConstraints as PodTopologySpread reads them: the selector (with matchLabelKeys
// merged in from the pod's own labels), minDomains (default 1), and the node inclusion policies
// (nodeAffinityPolicy defaults to Honor, nodeTaintsPolicy to Ignore).
// https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/

import { labelSelectorFromObject } from '../../registry/selectors';
import type { NodeInfo } from '../nodeInfo';
import { requiredNodeAffinity } from '../nodeSelectors';
import type { PodInfo } from '../podInfo';
import { firstUntoleratedTaint } from '../tolerations';

export type LabelPredicate = (labels: Readonly<Record<string, string>>) => boolean;

export interface SpreadSelector {
  matches: LabelPredicate;
  /** A selector with no requirements counts no pods (labels.Selector.Empty in countPodsMatchSelector). */
  empty: boolean;
}

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: SpreadSelector;
  minDomains: number;
  /** Whether a node is counted at all, after the inclusion policies. */
  includes(node: NodeInfo): boolean;
}

export type WhenUnsatisfiable = 'DoNotSchedule' | 'ScheduleAnyway';

export const hostnameLabel = 'kubernetes.io/hostname';
export const zoneLabel = 'topology.kubernetes.io/zone';

/** The system default constraints, applied to pods without their own (both ScheduleAnyway). */
const systemDefaults = [
  { maxSkew: 3, topologyKey: hostnameLabel },
  { maxSkew: 5, topologyKey: zoneLabel },
];

function inclusion(pod: PodInfo, honorAffinity: boolean, honorTaints: boolean): (node: NodeInfo) => boolean {
  const affinity = honorAffinity ? requiredNodeAffinity(pod.pod) : undefined;
  const tolerations = pod.pod.spec?.tolerations ?? [];
  return (node) =>
    (affinity === undefined || affinity(node)) &&
    (!honorTaints || firstUntoleratedTaint(node.filterTaints, tolerations) === undefined);
}

/** The pod's constraints with the given whenUnsatisfiable, or the system defaults built on `defaultSelector`. */
export function spreadConstraints(
  pod: PodInfo,
  action: WhenUnsatisfiable,
  defaultSelector: (pod: PodInfo) => SpreadSelector | undefined,
): { constraints: SpreadConstraint[]; systemDefaulted: boolean } {
  const own = pod.pod.spec?.topologySpreadConstraints ?? [];
  if (own.length === 0) {
    const selector = action === 'ScheduleAnyway' ? defaultSelector(pod) : undefined;
    if (!selector) return { constraints: [], systemDefaulted: true };
    const includes = inclusion(pod, true, false);
    return {
      constraints: systemDefaults.map((c) => ({ ...c, selector, minDomains: 1, includes })),
      systemDefaulted: true,
    };
  }
  const constraints = own
    .filter((c) => c.whenUnsatisfiable === action)
    .map((c): SpreadConstraint => {
      const base = labelSelectorFromObject(c.labelSelector);
      const merged = (c.matchLabelKeys ?? [])
        .filter((k) => Object.hasOwn(pod.labels, k))
        .map((k) => [k, pod.labels[k] as string] as const);
      return {
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        selector: {
          matches: (labels) => base.matches(labels) && merged.every(([k, v]) => labels[k] === v),
          empty: base.isEverything() && merged.length === 0,
        },
        minDomains: c.minDomains ?? 1,
        includes: inclusion(
          pod,
          (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
          c.nodeTaintsPolicy === 'Honor',
        ),
      };
    });
  return { constraints, systemDefaulted: false };
}

/** countPodsMatchSelector: live pods of the namespace on the node that the selector matches. */
export function countMatchingPods(node: NodeInfo, selector: SpreadSelector, namespace: string): number {
  if (selector.empty) return 0;
  let count = 0;
  for (const p of node.pods.values()) {
    if (!p.terminating && p.namespace === namespace && selector.matches(p.labels)) count++;
  }
  return count;
}

export function hasAllTopologyKeys(node: NodeInfo, constraints: readonly SpreadConstraint[]): boolean {
  return constraints.every((c) => Object.hasOwn(node.labels, c.topologyKey));
}
