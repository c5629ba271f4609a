// How a volume points at the claim it is bound to: the claimRef the binder, the scheduler and the
// provisioner all write, and the annotation that says the binding was made by a controller.

import type { V1ObjectReference, V1PersistentVolumeClaim } from '@kubernetes/client-node';

export const boundByControllerAnnotation = 'pv.kubernetes.io/bound-by-controller';

export function claimReference(claim: V1PersistentVolumeClaim): V1ObjectReference {
  const meta = claim.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    namespace: meta.namespace ?? 'default',
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    resourceVersion: meta.resourceVersion ?? '',
  };
}
