import {
  CoreV1Api,
  DiscoveryV1Api,
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  makeInformer,
  type ObjectCache,
  type V1EndpointSlice,
  type V1Service,
} from '@kubernetes/client-node';
import type { Logger } from '../../log';

// Services and EndpointSlices of the whole cluster, kept by client-node informers and shared by the
// proxy and the DNS server of a node. Listeners hear "something changed" and recompute from the
// cache: both consumers are level-based, so which event fired does not matter.

export interface ServiceCache {
  services(): readonly V1Service[];
  endpointSlices(): readonly V1EndpointSlice[];
  /** Called after every add, update and delete, and after each relist. */
  onChange(listener: () => void): void;
  stop(): Promise<void>;
}

const restartDelayMs = 1000;

async function startInformer<T extends KubernetesObject>(
  informer: Informer<T> & ObjectCache<T>,
  name: string,
  o: { changed: () => void; stopped: () => boolean; log: Logger },
): Promise<void> {
  for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, o.changed);
  // client-node informers stop on a watch error; keep them running with a fixed delay, as the
  // kubelet's pod watch does.
  informer.on('error', (err: unknown) => {
    if (o.stopped()) return;
    o.log.warn('informer failed, restarting', { informer: name, error: (err as Error)?.message });
    setTimeout(() => void informer.start().catch(() => undefined), restartDelayMs);
  });
  await informer.start();
}

/** Starts both informers; resolves once each has listed (its cache is complete). */
export async function startServiceCache(kubeConfig: KubeConfig, log: Logger): Promise<ServiceCache> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const discovery = kubeConfig.makeApiClient(DiscoveryV1Api);
  const listeners: (() => void)[] = [];
  let stopped = false;
  const changed = () => {
    for (const listener of listeners) listener();
  };
  const services = makeInformer<V1Service>(kubeConfig, '/api/v1/services', () =>
    core.listServiceForAllNamespaces(),
  );
  const slices = makeInformer<V1EndpointSlice>(kubeConfig, '/apis/discovery.k8s.io/v1/endpointslices', () =>
    discovery.listEndpointSliceForAllNamespaces(),
  );
  const options = { changed, stopped: () => stopped, log };
  await Promise.all([
    startInformer(services, 'services', options),
    startInformer(slices, 'endpointslices', options),
  ]);
  return {
    services: () => services.list(),
    endpointSlices: () => slices.list(),
    onChange(listener) {
      listeners.push(listener);
    },
    async stop() {
      stopped = true;
      await Promise.all([services.stop(), slices.stop()]);
    },
  };
}
