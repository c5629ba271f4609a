import type { Logger } from '../../../cluster/log';
import { clusterNameFor } from '../../../cluster/provisioner/clusterName';
import type { KubeletLocator } from '../../../cluster/provisioner/kubeletLocator';
import type { ClusterStatusSource } from '../host';
import { kubeletStats } from './kubeletStats';
import { dockerNodeStats } from './nodeContainerStats';
import { createUsageSampler } from './usageSampler';

// The `usage.nodes` and `usage.pod` topics of this installation's cluster. The Docker client and
// the kubelet locator are created on first use.

export function createUsageHandlers(options: { dataDir: string; cluster: ClusterStatusSource; log: Logger }) {
  const clusterName = clusterNameFor(options.dataDir);
  let locator: Promise<KubeletLocator> | undefined;
  const locate: KubeletLocator = async (nodeName) => {
    locator ??= Promise.all([
      import('../../../cluster/provisioner/kubeletLocator'),
      import('../../../cluster/provisioner/providers/dockerProvider'),
    ]).then(([{ createKubeletLocator }, { createDockerProvider }]) =>
      createKubeletLocator(createDockerProvider({ log: options.log }), clusterName),
    );
    return (await locator)(nodeName);
  };
  return createUsageSampler({
    cluster: options.cluster,
    readNodes: dockerNodeStats(clusterName),
    readKubelet: kubeletStats({ dataDir: options.dataDir, locate }),
    log: options.log.child({ area: 'usage' }),
  });
}
