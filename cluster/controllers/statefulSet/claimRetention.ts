// persistentVolumeClaimRetentionPolicy through owner references, as Kubernetes does it: a claim the
// policy deletes with the set is controlled by the set; one it deletes on scale down is controlled
// by its (condemned) pod; the garbage collector then does the deleting. Claims with stale refs or
// another controller are left alone.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/statefulset/stateful_set_utils.go

import type {
  V1OwnerReference,
  V1PersistentVolumeClaim,
  V1Pod,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { ApiObject } from '../runtime/apiObject';
import { controllerRef } from '../runtime/ownerReferences';
import { inOrdinalRange, statefulSetKind } from './statefulSetPods';

const podKind = { apiVersion: 'v1', kind: 'Pod' };

type Kind = typeof podKind;

function policyOf(set: V1StatefulSet): { deleteWithSet: boolean; deleteOnScaleDown: boolean } {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
  return {
    deleteWithSet: policy?.whenDeleted === 'Delete',
    deleteOnScaleDown: policy?.whenScaled === 'Delete',
  };
}

function refersTo(ref: V1OwnerReference, obj: ApiObject, kind: Kind): boolean {
  return ref.apiVersion === kind.apiVersion && ref.kind === kind.kind && ref.name === obj.metadata?.name;
}

function refs(claim: V1PersistentVolumeClaim): V1OwnerReference[] {
  return claim.metadata?.ownerReferences ?? [];
}

function hasRef(claim: V1PersistentVolumeClaim, owner: ApiObject): boolean {
  return refs(claim).some((r) => r.uid === owner.metadata?.uid);
}

function hasStaleRef(claim: V1PersistentVolumeClaim, owner: ApiObject, kind: Kind): boolean {
  const ref = refs(claim).find((r) => refersTo(r, owner, kind));
  return ref !== undefined && ref.uid !== owner.metadata?.uid;
}

function retainsAll(set: V1StatefulSet): boolean {
  const { deleteWithSet, deleteOnScaleDown } = policyOf(set);
  return !deleteWithSet && !deleteOnScaleDown;
}

function hasUnexpectedController(claim: V1PersistentVolumeClaim, set: V1StatefulSet, pod: V1Pod): boolean {
  if (retainsAll(set)) return false;
  return refs(claim).some((r) => {
    if (refersTo(r, set, statefulSetKind)) return r.uid !== set.metadata?.uid;
    if (refersTo(r, pod, podKind)) return r.uid !== pod.metadata?.uid;
    return r.controller === true;
  });
}

/** The controller refs (to the set and/or the pod) the policy wants on the claim. */
function wantedOwners(set: V1StatefulSet, pod: V1Pod): { set: boolean; pod: boolean } {
  const { deleteWithSet, deleteOnScaleDown } = policyOf(set);
  const scaledDown = !inOrdinalRange(set, pod);
  return { set: deleteWithSet && !(deleteOnScaleDown && scaledDown), pod: deleteOnScaleDown && scaledDown };
}

/** Whether the claim's owner references already say what the retention policy wants. */
export function claimOwnersUpToDate(claim: V1PersistentVolumeClaim, set: V1StatefulSet, pod: V1Pod): boolean {
  if (hasStaleRef(claim, set, statefulSetKind) || hasStaleRef(claim, pod, podKind)) return true;
  if (hasUnexpectedController(claim, set, pod)) return !(hasRef(claim, set) || hasRef(claim, pod));
  const ours = refs(claim).filter((r) => r.uid === set.metadata?.uid || r.uid === pod.metadata?.uid);
  if (ours.some((r) => r.controller !== true)) return false;
  const wanted = wantedOwners(set, pod);
  return hasRef(claim, set) === wanted.set && hasRef(claim, pod) === wanted.pod;
}

/** The claim's owner references rewritten for the retention policy. */
export function claimOwnersFor(
  claim: V1PersistentVolumeClaim,
  set: V1StatefulSet,
  pod: V1Pod,
): V1OwnerReference[] {
  const unexpected = hasUnexpectedController(claim, set, pod);
  const kept = refs(claim).filter((r) => !refersTo(r, set, statefulSetKind) && !refersTo(r, pod, podKind));
  if (unexpected) return kept;
  const wanted = wantedOwners(set, pod);
  if (wanted.set) kept.push(controllerRef(set, statefulSetKind.apiVersion, statefulSetKind.kind));
  if (wanted.pod) kept.push(controllerRef(pod, podKind.apiVersion, podKind.kind));
  return kept;
}

/**
 * A claim still owned by an earlier pod of the same name (scale-down deletion pending): the pod
 * must not be recreated on it until the garbage collector has removed it (`PodClaimIsStale`).
 */
export function claimIsStale(claim: V1PersistentVolumeClaim, pod: V1Pod): boolean {
  return refs(claim).some((r) => r.kind === 'Pod' && r.uid !== pod.metadata?.uid);
}
