// The pods informer's index by `spec.nodeName`, shared by the simulated kubelets and the node
// lifecycle controller so one pods cache answers "what runs on this node".

import type { V1Pod } from '@kubernetes/client-node';
import type { Informer } from '../runtime/informer';

export const podsByNodeIndex = 'spec.nodeName';

export function ensurePodsByNodeIndex(pods: Informer<V1Pod>): void {
  if (!pods.hasIndex(podsByNodeIndex)) {
    pods.addIndex(podsByNodeIndex, (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []));
  }
}
