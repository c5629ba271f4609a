// A pod made from a controller's pod template, as Kubernetes' GetPodFromTemplate does: the
// template's labels, annotations and finalizers, a generated name `<owner>-<random>`, and a
// controller reference to the owner.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_utils.go

import type { V1OwnerReference, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';

export function podFromTemplate(
  template: V1PodTemplateSpec,
  namespace: string,
  generateName: string,
  owner: V1OwnerReference,
): V1Pod {
  const meta = template.metadata ?? {};
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace,
      ownerReferences: [owner],
    },
    spec: structuredClone(template.spec ?? { containers: [] }),
  };
  const podMeta = pod.metadata ?? {};
  if (meta.labels) podMeta.labels = { ...meta.labels };
  if (meta.annotations) podMeta.annotations = { ...meta.annotations };
  if (meta.finalizers) podMeta.finalizers = [...meta.finalizers];
  return pod;
}
