import { viewResources } from '../clusterView/viewResources';
import type { DeleteRequest } from './clusterActionsContract';
import type { KubeApis } from './kubeApis';

// `kubectl delete <resource> <name> --cascade=background|foreground|orphan`.

export async function deleteObject(apis: KubeApis, request: DeleteRequest): Promise<void> {
  const { group, version, kind } = viewResources[request.resource];
  const metadata = { name: request.name, ...(request.namespace ? { namespace: request.namespace } : {}) };
  await apis.objects.delete(
    { apiVersion: group ? `${group}/${version}` : version, kind, metadata },
    undefined,
    undefined,
    undefined,
    undefined,
    request.propagationPolicy,
  );
}
