// Which nodes a DaemonSet's pod belongs on, as Kubernetes' NodeShouldRunDaemonPod decides: the
// template's nodeName, nodeSelector and required node affinity must match the node, and every
// NoSchedule/NoExecute taint must be tolerated (with the DaemonSet's default tolerations added).
// A pod already there keeps running while only NoSchedule taints are untolerated.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller.go

import type {
  V1DaemonSet,
  V1Node,
  V1NodeSelector,
  V1NodeSelectorRequirement,
  V1PodSpec,
  V1Taint,
  V1Toleration,
} from '@kubernetes/client-node';
import { withDaemonTolerations } from './daemonPods';

/** `ToleratesTaint`: effect, key and (for Equal) value agree; an empty key or effect matches any. */
export function toleratesTaint(toleration: V1Toleration, taint: V1Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** The first taint with one of `effects` that no toleration tolerates. */
export function untoleratedTaint(
  taints: readonly V1Taint[],
  tolerations: readonly V1Toleration[],
  effects: readonly string[],
): V1Taint | undefined {
  return taints.find((t) => effects.includes(t.effect) && !tolerations.some((tol) => toleratesTaint(tol, t)));
}

function requirementMatches(req: V1NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      const have = Number.parseInt(value, 10);
      const want = Number.parseInt(values[0] as string, 10);
      if (!Number.isInteger(have) || !Number.isInteger(want)) return false;
      return req.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/** Whether any term of a required node selector matches; a term with no requirements matches nothing. */
export function nodeSelectorMatches(selector: V1NodeSelector, node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {};
  const fields: Record<string, string | undefined> = { 'metadata.name': node.metadata?.name };
  return selector.nodeSelectorTerms.some((term) => {
    const expressions = term.matchExpressions ?? [];
    const matchFields = term.matchFields ?? [];
    if (expressions.length === 0 && matchFields.length === 0) return false;
    return (
      expressions.every((r) => requirementMatches(r, labels[r.key])) &&
      matchFields.every((r) => r.key in fields && requirementMatches(r, fields[r.key]))
    );
  });
}

/** `GetRequiredNodeAffinity(pod).Match(node)`: nodeSelector labels and required node affinity. */
export function requiredAffinityMatches(spec: V1PodSpec, node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(spec.nodeSelector ?? {})) {
    if (labels[key] !== value) return false;
  }
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return !required || nodeSelectorMatches(required, node);
}

export interface NodePlacement {
  /** A daemon pod should be created here if there is none. */
  shouldRun: boolean;
  /** A daemon pod already here may stay. */
  shouldContinueRunning: boolean;
}

export function nodeShouldRunDaemonPod(node: V1Node, ds: V1DaemonSet): NodePlacement {
  const spec = withDaemonTolerations(ds.spec?.template?.spec ?? { containers: [] });
  const name = node.metadata?.name;
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (spec.nodeName && spec.nodeName !== name) return no;
  if (!requiredAffinityMatches(spec, node)) return no;
  const taints = node.spec?.taints ?? [];
  const tolerations = spec.tolerations ?? [];
  if (untoleratedTaint(taints, tolerations, ['NoSchedule', 'NoExecute'])) {
    return { shouldRun: false, shouldContinueRunning: !untoleratedTaint(taints, tolerations, ['NoExecute']) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}
