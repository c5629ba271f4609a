import type { ControllerContext } from '../../cluster/controllers/runtime/controllerContext';
import type { ForwarderEngine } from '../../cluster/provisioner/exposure/forwarderEngine';
import {
  type ServiceExposure,
  startServiceExposure,
} from '../../cluster/provisioner/exposure/serviceExposureController';
import { clusterNetworkName } from '../../cluster/provisioner/planNodes';
import type { NodeProvider } from '../../cluster/provisioner/providers/nodeProvider';
import type { SettingsStore } from './settingsStore';

// LoadBalancer and NodePort Services published on the host's localhost while the cluster runs,
// following the setting "Expose LoadBalancer services on localhost" as it changes.

export interface HostServiceExposureOptions {
  context: ControllerContext;
  engine: ForwarderEngine;
  provider: NodeProvider;
  cluster: string;
  /** The node image, which the forwarders run. */
  image: string;
  settings: SettingsStore;
}

export function startHostServiceExposure(options: HostServiceExposureOptions): ServiceExposure {
  const { provider, cluster, settings } = options;
  let enabled = settings.get().exposeLoadBalancers;
  const exposure = startServiceExposure({
    context: options.context,
    engine: options.engine,
    cluster,
    network: clusterNetworkName(cluster),
    image: options.image,
    enabled: () => enabled,
    nodeIps: async () =>
      (await provider.listNodes(cluster)).filter((node) => node.running && node.ip).map((node) => node.ip),
  });
  const unsubscribe = settings.onChange((next) => {
    if (next.exposeLoadBalancers === enabled) return;
    enabled = next.exposeLoadBalancers;
    exposure.resync();
  });
  return {
    resync: exposure.resync,
    async stop() {
      unsubscribe();
      await exposure.stop();
    },
  };
}
