// Controller references: how a controller marks what it owns and finds its owner, as
// metav1.NewControllerRef and metav1.GetControllerOf do.

import type { V1OwnerReference } from '@kubernetes/client-node';
import type { ApiObject } from './apiObject';

export function controllerRef(owner: ApiObject, apiVersion: string, kind: string): V1OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerOf(obj: ApiObject): V1OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

export function isControlledBy(obj: ApiObject, owner: ApiObject): boolean {
  const ref = controllerOf(obj);
  return ref !== undefined && ref.uid === owner.metadata?.uid;
}
