// Pod (anti-)affinity terms parsed once per pod, as kube-scheduler's framework.AffinityTerm: the
// namespaces a term looks in (its own list, else the pod's namespace when no namespaceSelector is
// given), the namespace selector, the label selector and the topology key.

import type { V1Affinity, V1PodAffinityTerm, V1WeightedPodAffinityTerm } from '@kubernetes/client-node';
import { type LabelSelector, labelSelectorFromObject } from '../registry/selectors';

export interface AffinityTerm {
  readonly namespaces: ReadonlySet<string>;
  /** Undefined when the term has none (which selects no namespace). */
  readonly namespaceSelector: LabelSelector | undefined;
  readonly selector: LabelSelector;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

/** The part of a pod a term looks at. */
export interface LabelledPod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

export type NamespaceLabels = (namespace: string) => Record<string, string> | undefined;

function parseTerm(namespace: string, term: V1PodAffinityTerm): AffinityTerm {
  const listed = term.namespaces ?? [];
  return {
    namespaces: new Set(listed.length === 0 && !term.namespaceSelector ? [namespace] : listed),
    namespaceSelector: term.namespaceSelector ? labelSelectorFromObject(term.namespaceSelector) : undefined,
    selector: labelSelectorFromObject(term.labelSelector),
    topologyKey: term.topologyKey,
  };
}

function parseWeighted(
  namespace: string,
  terms: V1WeightedPodAffinityTerm[] | undefined,
): WeightedAffinityTerm[] {
  return (terms ?? [])
    .filter((t) => t.weight !== 0)
    .map((t) => ({ ...parseTerm(namespace, t.podAffinityTerm), weight: t.weight }));
}

export interface PodAffinityTerms {
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
}

export function parseAffinityTerms(namespace: string, affinity: V1Affinity | undefined): PodAffinityTerms {
  const podAffinity = affinity?.podAffinity;
  const antiAffinity = affinity?.podAntiAffinity;
  return {
    requiredAffinity: (podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      parseTerm(namespace, t),
    ),
    requiredAntiAffinity: (antiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      parseTerm(namespace, t),
    ),
    preferredAffinity: parseWeighted(namespace, podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: parseWeighted(
      namespace,
      antiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    ),
  };
}

/** AffinityTerm.Matches: the pod is in one of the term's namespaces and carries matching labels. */
export function termMatches(term: AffinityTerm, pod: LabelledPod, namespaceLabels: NamespaceLabels): boolean {
  const inNamespace =
    term.namespaces.has(pod.namespace) ||
    term.namespaceSelector?.matches(namespaceLabels(pod.namespace)) === true;
  return inNamespace && term.selector.matches(pod.labels);
}

/** True when the pod matches every term (and there is at least one). */
export function matchesAllTerms(
  terms: readonly AffinityTerm[],
  pod: LabelledPod,
  namespaceLabels: NamespaceLabels,
): boolean {
  return terms.length > 0 && terms.every((t) => termMatches(t, pod, namespaceLabels));
}
