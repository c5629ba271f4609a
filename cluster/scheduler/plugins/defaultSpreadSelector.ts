// The selector the system default spread constraints count pods with (helper.DefaultSelector):
// the selectors of Services that select the pod, ANDed with the selector of the ReplicaSet or
// StatefulSet that controls it. Pods outside any of them get no default spreading.

import type { V1ReplicaSet, V1Service, V1StatefulSet } from '@kubernetes/client-node';
import { labelSelectorFromObject } from '../../registry/selectors';
import type { PodInfo } from '../podInfo';
import type { SpreadSelector } from './spreadConstraints';

export interface WorkloadLookups {
  servicesIn(namespace: string): readonly V1Service[];
  replicaSet(namespace: string, name: string): V1ReplicaSet | undefined;
  statefulSet(namespace: string, name: string): V1StatefulSet | undefined;
}

export function defaultSpreadSelector(
  lookups: WorkloadLookups,
): (pod: PodInfo) => SpreadSelector | undefined {
  return (pod) => {
    const required = new Map<string, string>();
    for (const service of lookups.servicesIn(pod.namespace)) {
      const selector = service.spec?.selector;
      // A Service without a selector selects nothing (not everything).
      if (!selector) continue;
      if (Object.entries(selector).every(([k, v]) => pod.labels[k] === v)) {
        for (const [k, v] of Object.entries(selector)) required.set(k, v);
      }
    }
    const owner = pod.pod.metadata?.ownerReferences?.find((o) => o.controller);
    let workload: V1ReplicaSet | V1StatefulSet | undefined;
    if (owner?.apiVersion === 'apps/v1' && owner.kind === 'ReplicaSet') {
      workload = lookups.replicaSet(pod.namespace, owner.name);
    } else if (owner?.apiVersion === 'apps/v1' && owner.kind === 'StatefulSet') {
      workload = lookups.statefulSet(pod.namespace, owner.name);
    }
    const ownerSelector = workload?.spec?.selector
      ? labelSelectorFromObject(workload.spec.selector)
      : undefined;
    const ownerRequirements = ownerSelector?.requirements.length ?? 0;
    if (required.size === 0 && ownerRequirements === 0) return undefined;
    const entries = [...required];
    return {
      matches: (labels) =>
        entries.every(([k, v]) => labels[k] === v) &&
        (ownerSelector === undefined || ownerSelector.matches(labels)),
      empty: false,
    };
  };
}
