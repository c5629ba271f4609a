import { checkExec } from './execError';
import { clusterPodCidr } from './planNodes';
import type { NodeHandle, NodeProvider } from './providers/nodeProvider';

// Pod-to-pod traffic across nodes without an overlay: each node routes every other node's pod CIDR
// via that node's IP, pod-to-pod traffic is not masqueraded, and the inner dockerd's FORWARD rules
// are opened through DOCKER-USER (otherwise they drop new connections coming in to pods).

/** The idempotent shell script that brings one node's routes and rules to the desired state. */
export function podNetworkScript(
  self: Pick<NodeHandle, 'name'>,
  nodes: Pick<NodeHandle, 'name' | 'ip' | 'podCidr'>[],
): string {
  const peers = nodes.filter((node) => node.name !== self.name);
  const keep = peers.map((peer) => peer.podCidr).join(' ');
  return [
    'set -e',
    ...peers.map((peer) => `ip route replace ${peer.podCidr} via ${peer.ip}`),
    // Routes to pod CIDRs of nodes that are gone.
    `ip -4 route list root ${clusterPodCidr} | while read -r cidr via gw rest; do`,
    `  [ "$via" = via ] || continue`,
    `  case " ${keep} " in *" $cidr "*) ;; *) ip route del "$cidr" ;; esac`,
    'done',
    `iptables -t nat -C POSTROUTING -s ${clusterPodCidr} -d ${clusterPodCidr} -j RETURN 2>/dev/null ||`,
    `  iptables -t nat -I POSTROUTING 1 -s ${clusterPodCidr} -d ${clusterPodCidr} -j RETURN`,
    'iptables -N DOCKER-USER 2>/dev/null || :',
    'iptables -C DOCKER-USER -j ACCEPT 2>/dev/null || iptables -I DOCKER-USER 1 -j ACCEPT',
  ].join('\n');
}

/** Applies the pod network on every running node; run after nodes start and when nodes come or go. */
export async function configurePodNetwork(provider: NodeProvider, nodes: NodeHandle[]): Promise<void> {
  const running = nodes.filter((node) => node.running);
  await Promise.all(
    running.map(async (node) => {
      const argv = ['sh', '-c', podNetworkScript(node, running)];
      checkExec(
        argv.slice(0, 2).concat(`<pod network script for ${node.name}>`),
        await provider.exec(node, argv),
      );
    }),
  );
}
