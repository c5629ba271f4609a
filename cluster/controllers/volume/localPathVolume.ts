// The volumes the built-in `kubedesk.io/local-path` provisioner creates: a directory on the node
// that runs the claim's first pod (hostPath, created on first use), pinned to that node by a
// required node affinity, named `pvc-<claim uid>` and already bound to the claim through its
// claimRef. Claims of Immediate classes have no node yet, so their volume is not pinned.

import type { V1PersistentVolume, V1PersistentVolumeClaim, V1StorageClass } from '@kubernetes/client-node';
import { claimReference } from './claimReference';

export const localPathProvisioner = 'kubedesk.io/local-path';
export const localPathRoot = '/var/lib/kubedesk/local-path';
export const provisionedByAnnotation = 'pv.kubernetes.io/provisioned-by';
export const hostnameLabel = 'kubernetes.io/hostname';

export function localPathVolume(
  claim: V1PersistentVolumeClaim,
  storageClass: V1StorageClass,
  node?: { name: string; hostname: string },
): V1PersistentVolume {
  const meta = claim.metadata ?? {};
  const name = `pvc-${meta.uid}`;
  const pv: V1PersistentVolume = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [provisionedByAnnotation]: localPathProvisioner } },
    spec: {
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
      accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
      storageClassName: storageClass.metadata?.name ?? '',
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      claimRef: claimReference(claim),
      hostPath: { path: `${localPathRoot}/${name}`, type: 'DirectoryOrCreate' },
    },
  };
  const spec = pv.spec ?? {};
  if (storageClass.mountOptions?.length) spec.mountOptions = storageClass.mountOptions;
  if (node) {
    spec.nodeAffinity = {
      required: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: hostnameLabel, operator: 'In', values: [node.hostname] }] },
        ],
      },
    };
  }
  return pv;
}
