import type { NodeProvider } from './providers/nodeProvider';

// Where the API server reaches a node's kubelet API: the port Docker published for it on the host's
// loopback (DESIGN.md, "Reaching the API server from nodes"). That port is random and changes when a
// node container restarts, so answers are cached briefly and looked up again on a miss.

export interface KubeletAddress {
  host: string;
  port: number;
}

export type KubeletLocator = (nodeName: string) => Promise<KubeletAddress | undefined>;

export function createKubeletLocator(
  provider: Pick<NodeProvider, 'listNodes'>,
  cluster: string,
  options: { maxAgeMs?: number; now?: () => number } = {},
): KubeletLocator {
  const maxAgeMs = options.maxAgeMs ?? 5_000;
  const now = options.now ?? Date.now;
  let cache: { at: number; ports: Map<string, number> } | undefined;
  let refreshing: Promise<Map<string, number>> | undefined;

  const refresh = () => {
    // Concurrent misses share one engine query.
    refreshing ??= provider
      .listNodes(cluster)
      .then((nodes) => {
        const ports = new Map<string, number>();
        for (const node of nodes) {
          if (node.running && node.kubeletHostPort) ports.set(node.name, node.kubeletHostPort);
        }
        cache = { at: now(), ports };
        return ports;
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };

  return async (nodeName) => {
    const fresh = cache && now() - cache.at < maxAgeMs ? cache.ports : undefined;
    const port = fresh?.get(nodeName) ?? (await refresh()).get(nodeName);
    return port === undefined ? undefined : { host: '127.0.0.1', port };
  };
}
