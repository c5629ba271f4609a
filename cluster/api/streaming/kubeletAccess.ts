import type { V1Node } from '@kubernetes/client-node';
import type { RestContext } from '../rest/restContext';

// How the API server reaches a node's kubelet API: where (a locator, by node name) and with which
// TLS material (the cluster CA to verify the kubelet's serving certificate, and the API server's
// client certificate, CN kubedesk-apiserver, that the kubelet accepts).

export interface KubeletAddress {
  host: string;
  port: number;
}

export type KubeletLocator = (nodeName: string) => Promise<KubeletAddress | undefined>;

export interface KubeletTls {
  ca: string;
  cert: string;
  key: string;
}

export interface KubeletAccess {
  locate: KubeletLocator;
  tls: KubeletTls;
}

/** The default locator: the Node's InternalIP and its `status.daemonEndpoints.kubeletEndpoint.Port`. */
export function nodeStatusLocator(rest: RestContext): KubeletLocator {
  return async (nodeName) => {
    const nodes = rest.catalog.lookup('', 'v1', 'nodes');
    if (!nodes) return undefined;
    const node = (await rest.objects.get(nodes, undefined, nodeName)) as V1Node | undefined;
    const host = node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const port = node?.status?.daemonEndpoints?.kubeletEndpoint?.Port;
    return host && port ? { host, port } : undefined;
  };
}

/** `https://host:port/path?query` (or wss:), with IPv6 hosts bracketed. */
export function kubeletUrl(
  address: KubeletAddress,
  scheme: 'https' | 'wss',
  path: string,
  query: URLSearchParams,
): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  const search = query.toString();
  return `${scheme}://${host}:${address.port}${path}${search ? `?${search}` : ''}`;
}
