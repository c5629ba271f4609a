// The finalizers of Kubernetes' StorageObjectInUseProtection admission: every new claim and
// volume carries one, so deleting a claim a pod still uses (or a volume still bound) leaves it
// Terminating until the protection controllers see it is free.
// https://kubernetes.io/docs/concepts/storage/persistent-volumes/#storage-object-in-use-protection

import type { V1ObjectMeta } from '@kubernetes/client-node';

export const pvcProtectionFinalizer = 'kubernetes.io/pvc-protection';
export const pvProtectionFinalizer = 'kubernetes.io/pv-protection';

/** Adds `finalizer` to the object's finalizers unless it is there already. */
export function addFinalizer(obj: { metadata?: V1ObjectMeta }, finalizer: string): void {
  obj.metadata ??= {};
  const finalizers = obj.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) obj.metadata.finalizers = [...finalizers, finalizer];
}
