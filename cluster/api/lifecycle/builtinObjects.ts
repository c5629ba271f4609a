// Objects every cluster starts with: the four system namespaces and the `kubernetes` Service in
// `default` (10.96.0.1:443) with Endpoints and an EndpointSlice pointing at the API server, and the
// `kube-dns` Service in `kube-system` (10.96.0.10).
// Idempotent: run on every start, it only creates what is missing and re-points the endpoints.

import { builtinCatalog } from '../../registry/builtinResources';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import type { KubeObject } from '../../registry/strategy';
import { createObject } from '../rest/createObject';
import type { RestContext } from '../rest/restContext';
import { updateObject } from '../rest/updateObject';

const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
export const kubernetesServiceIP = '10.96.0.1';
/** Cluster DNS: served by every node's agent; kubeDnsEndpointsController lists the nodes as its endpoints. */
export const kubeDnsService = { namespace: 'kube-system', name: 'kube-dns', ip: '10.96.0.10' } as const;

const lookup = (group: string, version: string, plural: string) =>
  builtinCatalog.lookup(group, version, plural) as ResourceInfo;
const namespaces = lookup('', 'v1', 'namespaces');
const services = lookup('', 'v1', 'services');
const endpoints = lookup('', 'v1', 'endpoints');
const endpointSlices = lookup('discovery.k8s.io', 'v1', 'endpointslices');

const manager = 'kube-apiserver';

/** Creates `obj` when absent; when present, replaces the fields listed in `refresh`. */
async function ensure(
  rest: RestContext,
  info: ResourceInfo,
  obj: KubeObject,
  refresh: (live: KubeObject) => KubeObject = (live) => live,
): Promise<void> {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  const live = await rest.objects.get(info, ns, name);
  if (!live) {
    await createObject(rest, info, ns, obj, { fieldManager: manager });
    return;
  }
  await updateObject(rest, info, ns, name, refresh, { fieldManager: manager });
}

export interface ApiServerEndpoint {
  /** Address pods and nodes use to reach the API server. */
  ip: string;
  port: number;
}

export async function seedBuiltinObjects(rest: RestContext, endpoint: ApiServerEndpoint): Promise<void> {
  for (const name of systemNamespaces) await ensure(rest, namespaces, { metadata: { name } });
  const port = { name: 'https', port: endpoint.port, protocol: 'TCP' };
  await ensure(
    rest,
    services,
    {
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: kubernetesServiceIP,
        clusterIPs: [kubernetesServiceIP],
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: endpoint.port }],
        sessionAffinity: 'None',
      },
    },
    (live) => {
      const spec = live.spec as { ports?: { targetPort?: unknown }[] };
      for (const p of spec.ports ?? []) p.targetPort = endpoint.port;
      return live;
    },
  );
  await ensure(rest, services, {
    metadata: {
      name: kubeDnsService.name,
      namespace: kubeDnsService.namespace,
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'KubeDNS' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: kubeDnsService.ip,
      clusterIPs: [kubeDnsService.ip],
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
      // Each node's pods query the DNS server of their own node.
      internalTrafficPolicy: 'Local',
      sessionAffinity: 'None',
    },
  });
  const subsets = [{ addresses: [{ ip: endpoint.ip }], ports: [port] }];
  await ensure(
    rest,
    endpoints,
    {
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets,
    },
    (live) => ({ ...live, subsets }),
  );
  const slice = {
    addressType: 'IPv4',
    endpoints: [{ addresses: [endpoint.ip], conditions: { ready: true } }],
    ports: [port],
  };
  await ensure(
    rest,
    endpointSlices,
    {
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'kubernetes.io/service-name': 'kubernetes' },
      },
      ...slice,
    },
    (live) => ({ ...live, ...slice }),
  );
}
