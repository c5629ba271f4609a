// Node selector terms (node affinity, PV node affinity) compiled to predicates, with
// component-helpers' semantics: terms are ORed, a term's expressions and fields are ANDed, an empty
// term matches nothing; Gt/Lt compare integers; matchFields knows only metadata.name.
// https://github.com/kubernetes/component-helpers/blob/master/scheduling/corev1/nodeaffinity/nodeaffinity.go

import type {
  V1NodeSelector,
  V1NodeSelectorRequirement,
  V1NodeSelectorTerm,
  V1Pod,
} from '@kubernetes/client-node';

/** What a node selector looks at. */
export interface LabelledNode {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export type NodePredicate = (node: LabelledNode) => boolean;

const integer = /^-?[0-9]+$/;

function requirementPredicate(
  req: V1NodeSelectorRequirement,
  read: (node: LabelledNode) => string | undefined,
): NodePredicate {
  const values = new Set(req.values ?? []);
  switch (req.operator) {
    case 'In':
      return (n) => {
        const v = read(n);
        return v !== undefined && values.has(v);
      };
    case 'NotIn':
      return (n) => {
        const v = read(n);
        return v === undefined || !values.has(v);
      };
    case 'Exists':
      return (n) => read(n) !== undefined;
    case 'DoesNotExist':
      return (n) => read(n) === undefined;
    case 'Gt':
    case 'Lt': {
      const bound = req.values?.[0];
      if (req.values?.length !== 1 || bound === undefined || !integer.test(bound)) return () => false;
      const limit = Number(bound);
      const greater = req.operator === 'Gt';
      return (n) => {
        const v = read(n);
        if (v === undefined || !integer.test(v)) return false;
        return greater ? Number(v) > limit : Number(v) < limit;
      };
    }
    default:
      return () => false;
  }
}

function termPredicate(term: V1NodeSelectorTerm): NodePredicate {
  const checks: NodePredicate[] = [];
  for (const req of term.matchExpressions ?? []) {
    checks.push(
      requirementPredicate(req, (n) => (Object.hasOwn(n.labels, req.key) ? n.labels[req.key] : undefined)),
    );
  }
  for (const req of term.matchFields ?? []) {
    checks.push(
      req.key === 'metadata.name' && (req.operator === 'In' || req.operator === 'NotIn')
        ? requirementPredicate(req, (n) => n.name)
        : () => false,
    );
  }
  if (checks.length === 0) return () => false;
  return (n) => checks.every((check) => check(n));
}

/** A node selector's terms, ORed. */
export function nodeSelectorPredicate(selector: V1NodeSelector): NodePredicate {
  const terms = (selector.nodeSelectorTerms ?? []).map(termPredicate);
  return (n) => terms.some((term) => term(n));
}

/** One preferred-scheduling term. */
export function nodeSelectorTermPredicate(term: V1NodeSelectorTerm): NodePredicate {
  return termPredicate(term);
}

/**
 * The pod's hard node constraints: spec.nodeSelector and requiredDuringScheduling node affinity
 * (nodeaffinity.GetRequiredNodeAffinity). Undefined when the pod has neither.
 */
export function requiredNodeAffinity(pod: V1Pod): NodePredicate | undefined {
  const selector = Object.entries(pod.spec?.nodeSelector ?? {});
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (selector.length === 0 && !required) return undefined;
  const affinity = required ? nodeSelectorPredicate(required) : undefined;
  return (n) => selector.every(([k, v]) => n.labels[k] === v) && (affinity === undefined || affinity(n));
}
