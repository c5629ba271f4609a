// A DaemonSet's pods: the template with the revision hash label, the tolerations Kubernetes gives
// every daemon pod (so node conditions and cordons do not evict or keep them away), and a
// required node affinity `metadata.name In [node]` pinning the pod to its node for the scheduler.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/util/daemonset_util.go

import type { V1Affinity, V1DaemonSet, V1Pod, V1PodSpec, V1Toleration } from '@kubernetes/client-node';
import { podFromTemplate } from '../replicaSet/podFromTemplate';
import { controllerRef } from '../runtime/ownerReferences';

export const daemonSetKind = { apiVersion: 'apps/v1', kind: 'DaemonSet' };

/** The label daemon pods and DaemonSet revisions carry the template hash in. */
export const daemonRevisionLabel = 'controller-revision-hash';

const exists = (key: string, effect: string): V1Toleration => ({ key, operator: 'Exists', effect });

/** `AddOrUpdateDaemonPodTolerations`. */
export function daemonTolerations(spec: V1PodSpec): V1Toleration[] {
  const added = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
  ];
  if (spec.hostNetwork) added.push(exists('node.kubernetes.io/network-unavailable', 'NoSchedule'));
  return added;
}

function sameToleration(a: V1Toleration, b: V1Toleration): boolean {
  return (
    (a.key ?? '') === (b.key ?? '') &&
    (a.operator ?? '') === (b.operator ?? '') &&
    (a.value ?? '') === (b.value ?? '') &&
    (a.effect ?? '') === (b.effect ?? '')
  );
}

/** A copy of the spec with the daemon tolerations, each replacing a user toleration it matches. */
export function withDaemonTolerations(spec: V1PodSpec): V1PodSpec {
  const tolerations = [...(spec.tolerations ?? [])];
  for (const toleration of daemonTolerations(spec)) {
    const at = tolerations.findIndex((t) => sameToleration(t, toleration));
    if (at >= 0) tolerations[at] = toleration;
    else tolerations.push(toleration);
  }
  return { ...spec, tolerations };
}

/** `ReplaceDaemonSetPodNodeNameNodeAffinity`: the required node terms become the node's name. */
export function pinToNode(affinity: V1Affinity | undefined, nodeName: string): V1Affinity {
  const terms = [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }];
  const copy = structuredClone(affinity ?? {});
  copy.nodeAffinity = {
    ...copy.nodeAffinity,
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
  };
  return copy;
}

/** The node a daemon pod is on, or pinned to while unscheduled (`GetTargetNodeName`). */
export function targetNodeName(pod: V1Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const term of terms ?? []) {
    for (const field of term.matchFields ?? []) {
      if (field.key === 'metadata.name' && field.operator === 'In' && field.values?.length === 1) {
        return field.values[0];
      }
    }
  }
  return undefined;
}

/** A new pod of the DaemonSet for `nodeName` at template hash `hash`. */
export function newDaemonPod(ds: V1DaemonSet, nodeName: string, hash: string): V1Pod {
  const template = ds.spec?.template ?? {};
  const pod = podFromTemplate(
    template,
    ds.metadata?.namespace ?? 'default',
    `${ds.metadata?.name}-`,
    controllerRef(ds, daemonSetKind.apiVersion, daemonSetKind.kind),
  );
  pod.metadata = { ...pod.metadata, labels: { ...pod.metadata?.labels, [daemonRevisionLabel]: hash } };
  const spec = withDaemonTolerations(pod.spec ?? { containers: [] });
  spec.affinity = pinToNode(spec.affinity, nodeName);
  pod.spec = spec;
  return pod;
}
