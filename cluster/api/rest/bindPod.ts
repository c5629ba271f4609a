// The pods/binding write: the scheduler's (or any client's) assignment of a pod to a node, refused
// once the pod is bound, as Kubernetes' BindingREST does.

import type { V1Pod } from '@kubernetes/client-node';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import type { KubeObject } from '../../registry/strategy';
import { conflict } from '../status';
import { groupResource, type RestContext } from './restContext';
import { updateObject } from './updateObject';

export async function bindPod(
  ctx: RestContext,
  pods: ResourceInfo,
  namespace: string,
  name: string,
  nodeName: string,
): Promise<V1Pod> {
  const { object } = await updateObject(ctx, pods, namespace, name, (live) => {
    const pod = live as V1Pod;
    if (pod.spec?.nodeName) {
      throw conflict(
        groupResource(pods),
        name,
        `pod ${name} is already assigned to node "${pod.spec.nodeName}"`,
      );
    }
    pod.spec ??= { containers: [] };
    pod.spec.nodeName = nodeName;
    return pod as KubeObject;
  });
  return object as V1Pod;
}
