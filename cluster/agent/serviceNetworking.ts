import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../log';
import { clusterPodCidr } from '../provisioner/planNodes';
import { type ClusterDnsServer, startClusterDnsServer } from './dns/clusterDnsServer';
import { createUpstreamResolver, readResolvConf } from './dns/upstreamResolver';
import { startServiceCache } from './proxy/serviceCache';
import { type ServiceProxy, startServiceProxy } from './proxy/serviceProxy';

// Service networking on a node: one Service/EndpointSlice cache feeding the iptables proxy and the
// cluster DNS server. The DNS server listens on port 53 of every node address; pods reach it as
// kube-dns (10.96.0.10), whose internalTrafficPolicy Local makes the proxy DNAT their queries to
// this node's own server. Started before the kubelet, so a Ready node already resolves and proxies.

/** Where a Service's ClusterIPs and the pod network live; reverse lookups there are answered here. */
export const serviceCidr = '10.96.0.0/12';

export interface ServiceNetworking {
  proxy: ServiceProxy;
  dns: ClusterDnsServer;
  stop(): Promise<void>;
}

export async function startServiceNetworking(o: {
  kubeConfig: KubeConfig;
  nodeName: string;
  log: Logger;
  dnsPort?: number;
}): Promise<ServiceNetworking> {
  const cache = await startServiceCache(o.kubeConfig, o.log.child({ component: 'service-cache' }));
  const proxy = await startServiceProxy({
    cache,
    nodeName: o.nodeName,
    clusterCidr: clusterPodCidr,
    log: o.log.child({ component: 'proxy' }),
  });
  const upstream = createUpstreamResolver(readResolvConf().nameservers);
  const dns = await startClusterDnsServer({
    source: cache,
    upstream,
    ownedRanges: [serviceCidr, clusterPodCidr],
    log: o.log.child({ component: 'dns' }),
    ...(o.dnsPort !== undefined ? { port: o.dnsPort } : {}),
  });
  return {
    proxy,
    dns,
    async stop() {
      // The iptables rules stay: Services keep working while the agent restarts.
      proxy.stop();
      upstream.close();
      await Promise.allSettled([dns.close(), cache.stop()]);
    },
  };
}
