// A StatefulSet pod's stable identity: name `<set>-<ordinal>`, hostname and subdomain, the
// pod-name/pod-index/revision labels, and one PersistentVolumeClaim per volumeClaimTemplate named
// `<template>-<set>-<ordinal>` mounted in place of any same-named template volume.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/statefulset/stateful_set_utils.go

import type { V1PersistentVolumeClaim, V1Pod, V1StatefulSet, V1Volume } from '@kubernetes/client-node';
import { controllerRef } from '../runtime/ownerReferences';

export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
export const podIndexLabel = 'apps.kubernetes.io/pod-index';
export const revisionLabel = 'controller-revision-hash';

export const statefulSetKind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };

const ordinalName = /^(.*)-([0-9]+)$/;

/** The set a pod's name says it belongs to and its ordinal; ordinal -1 when the name has none. */
export function parentAndOrdinal(pod: V1Pod): { parent: string; ordinal: number } {
  const match = ordinalName.exec(pod.metadata?.name ?? '');
  if (!match) return { parent: '', ordinal: -1 };
  const ordinal = Number(match[2]);
  return { parent: match[1] ?? '', ordinal: ordinal <= 0x7fffffff ? ordinal : -1 };
}

export function ordinalOf(pod: V1Pod): number {
  return parentAndOrdinal(pod).ordinal;
}

export function isMemberOf(set: V1StatefulSet, pod: V1Pod): boolean {
  return parentAndOrdinal(pod).parent === set.metadata?.name;
}

export function startOrdinal(set: V1StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** Last ordinal in range (inclusive); below the start when replicas is 0. */
export function endOrdinal(set: V1StatefulSet): number {
  return startOrdinal(set) + (set.spec?.replicas ?? 1) - 1;
}

export function inOrdinalRange(set: V1StatefulSet, pod: V1Pod): boolean {
  const ordinal = ordinalOf(pod);
  return ordinal >= startOrdinal(set) && ordinal <= endOrdinal(set);
}

export function podName(set: V1StatefulSet, ordinal: number): string {
  return `${set.metadata?.name}-${ordinal}`;
}

export function claimName(set: V1StatefulSet, template: V1PersistentVolumeClaim, ordinal: number): string {
  return `${template.metadata?.name}-${set.metadata?.name}-${ordinal}`;
}

export function podRevision(pod: V1Pod): string {
  return pod.metadata?.labels?.[revisionLabel] ?? '';
}

/** The claims a pod of the set at `ordinal` mounts, as they would be created. */
export function claimsForOrdinal(set: V1StatefulSet, ordinal: number): V1PersistentVolumeClaim[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((template) => {
    const labels = { ...template.metadata?.labels, ...set.spec?.selector?.matchLabels };
    const claim: V1PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: claimName(set, template, ordinal), namespace: set.metadata?.namespace, labels },
      spec: structuredClone(template.spec ?? {}),
    };
    if (template.metadata?.annotations)
      claim.metadata = { ...claim.metadata, annotations: { ...template.metadata.annotations } };
    return claim;
  });
}

export function identityMatches(set: V1StatefulSet, pod: V1Pod): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod);
  const labels = pod.metadata?.labels ?? {};
  return (
    ordinal >= 0 &&
    parent === set.metadata?.name &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    labels[podNameLabel] === pod.metadata?.name &&
    labels[podIndexLabel] === String(ordinal)
  );
}

export function storageMatches(set: V1StatefulSet, pod: V1Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  return (set.spec?.volumeClaimTemplates ?? []).every(
    (t) =>
      volumes.get(t.metadata?.name ?? '')?.persistentVolumeClaim?.claimName === claimName(set, t, ordinal),
  );
}

/** Labels that give a pod its identity (`updateIdentity`). */
export function identityLabels(set: V1StatefulSet, ordinal: number): Record<string, string> {
  return { [podNameLabel]: podName(set, ordinal), [podIndexLabel]: String(ordinal) };
}

/** A new pod for `ordinal` from `set`'s template (which may be a revision's), at `revision`. */
export function newStatefulSetPod(set: V1StatefulSet, ordinal: number, revision: string): V1Pod {
  const template = set.spec?.template ?? {};
  const name = podName(set, ordinal);
  const spec = structuredClone(template.spec ?? { containers: [] });
  const claims = (set.spec?.volumeClaimTemplates ?? []).map(
    (t): V1Volume => ({
      name: t.metadata?.name ?? '',
      persistentVolumeClaim: { claimName: claimName(set, t, ordinal) },
    }),
  );
  const claimed = new Set(claims.map((v) => v.name));
  spec.volumes = [...claims, ...(spec.volumes ?? []).filter((v) => !claimed.has(v.name))];
  if (spec.volumes.length === 0) delete spec.volumes;
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${set.metadata?.name}-`,
      namespace: set.metadata?.namespace,
      labels: { ...template.metadata?.labels, ...identityLabels(set, ordinal), [revisionLabel]: revision },
      ownerReferences: [controllerRef(set, statefulSetKind.apiVersion, statefulSetKind.kind)],
    },
    spec,
  };
  if (template.metadata?.annotations)
    pod.metadata = { ...pod.metadata, annotations: { ...template.metadata.annotations } };
  if (template.metadata?.finalizers)
    pod.metadata = { ...pod.metadata, finalizers: [...template.metadata.finalizers] };
  return pod;
}
