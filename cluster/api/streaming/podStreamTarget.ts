import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { ApiRequest } from '../handlers/apiRequest';
import { groupResource } from '../rest/restContext';
import { badRequest, notFound, serviceUnavailable } from '../status';
import type { KubeletAccess, KubeletAddress } from './kubeletAccess';

// Which pod, container and kubelet a streaming request goes to, with the errors the apiserver
// gives before contacting any kubelet (pkg/registry/core/pod/strategy.go LogLocation,
// streamLocation, PortForwardLocation).

export interface PodStreamTarget {
  pod: V1Pod;
  namespace: string;
  name: string;
  /** Empty for port-forward, which addresses the whole pod. */
  container: string;
  /** Undefined only for logs of a pod not yet scheduled, which have nothing to show. */
  kubelet?: { access: KubeletAccess; address: KubeletAddress };
}

const names = (containers: V1Container[] | undefined) => (containers ?? []).map((c) => c.name).join(' ');

/** The container named in `?container=`, or the only one; otherwise the apiserver's 400. */
export function chooseContainer(pod: V1Pod, requested: string | null): string {
  const podName = pod.metadata?.name ?? '';
  const spec = pod.spec;
  if (!requested) {
    const containers = spec?.containers ?? [];
    if (containers.length === 1) return containers[0]?.name ?? '';
    if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${podName}`);
    let message = `a container name must be specified for pod ${podName}, choose one of: [${names(containers)}]`;
    if (spec?.initContainers?.length)
      message += ` or one of the init containers: [${names(spec.initContainers)}]`;
    throw badRequest(message);
  }
  const all = [
    ...(spec?.containers ?? []),
    ...(spec?.initContainers ?? []),
    ...(spec?.ephemeralContainers ?? []),
  ];
  if (!all.some((c) => c.name === requested)) {
    throw badRequest(`container ${requested} is not valid for pod ${podName}`);
  }
  return requested;
}

export async function resolvePodTarget(
  api: ApiRequest,
  options: { container: boolean; allowUnscheduled: boolean },
): Promise<PodStreamTarget> {
  const namespace = api.target.namespace ?? 'default';
  const name = api.target.name ?? '';
  const pod = (await api.rest.objects.get(api.info, namespace, name)) as V1Pod | undefined;
  if (!pod) throw notFound(groupResource(api.info), name);
  const container = options.container ? chooseContainer(pod, api.query.get('container')) : '';
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) {
    if (options.allowUnscheduled) return { pod, namespace, name, container };
    throw badRequest(`pod ${name} does not have a host assigned`);
  }
  const access = api.kubelet;
  if (!access) throw serviceUnavailable('the API server has no kubelet client credentials');
  const address = await access.locate(nodeName);
  if (!address) throw serviceUnavailable(`no kubelet address is known for node "${nodeName}"`);
  return { pod, namespace, name, container, kubelet: { access, address } };
}
