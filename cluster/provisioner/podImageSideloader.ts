import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from '../log';
import type { NodeHandle, NodeProvider } from './providers/nodeProvider';
import { sideloadImage } from './sideloadImage';

// Host side of automatic image sideload: for each pod bound to one of this cluster's nodes, images
// of containers not started yet that the host's Docker engine has are copied into that node, once
// per node and image ID. The kubelet sees the copy under way (sideloadMarkers) and waits for it.
// Images the host lacks are left to the kubelet's pull and its ErrImagePull/ImagePullBackOff.

export interface SideloadNotice {
  pod: V1Pod;
  node: string;
  image: string;
  state: 'loading' | 'loaded' | 'failed';
  bytes?: number;
  elapsedMs?: number;
  error?: string;
}

export interface PodImageSideloaderOptions {
  provider: NodeProvider;
  cluster: string;
  log: Logger;
  /** Start, byte progress and end of each copy (events on the pod, progress lines). */
  onNotice?: (notice: SideloadNotice) => void;
}

export interface PodImageSideloader {
  /** Called for every pod add and update; cheap for pods with nothing to copy. */
  handlePod(pod: V1Pod): void;
  /** Resolves when the copies started so far have ended. */
  idle(): Promise<void>;
}

const pullErrors = new Set(['ErrImagePull', 'ImagePullBackOff']);

/** Images of containers that have not run yet, each with whether the kubelet reports a pull error. */
export function imagesToStart(pod: V1Pod): Map<string, boolean> {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const images = new Map<string, boolean>();
  for (const container of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    if (!container.image) continue;
    const status = statuses.find((s) => s.name === container.name);
    if (status?.state?.running || status?.state?.terminated || status?.lastState?.terminated) continue;
    const failed = pullErrors.has(status?.state?.waiting?.reason ?? '');
    images.set(container.image, (images.get(container.image) ?? false) || failed);
  }
  return images;
}

export function createPodImageSideloader(options: PodImageSideloaderOptions): PodImageSideloader {
  const { provider, cluster, log } = options;
  /** `<node id> <image id>` of copies done; the node's dockerd keeps images across restarts. */
  const loaded = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let nodes = new Map<string, NodeHandle>();

  const nodeNamed = async (name: string) => {
    const known = nodes.get(name);
    if (known?.running) return known;
    nodes = new Map((await provider.listNodes(cluster)).map((n) => [n.name, n]));
    return nodes.get(name);
  };

  const copy = async (pod: V1Pod, nodeName: string, image: string, pullFailed: boolean) => {
    const node = await nodeNamed(nodeName);
    const host = node?.running ? await provider.inspectImage(image) : undefined;
    if (!node?.running || !host) return;
    const key = `${node.id} ${host.id}`;
    // A pull error for an image copied before means the node lost it: check the node again.
    if (pullFailed) loaded.delete(key);
    if (loaded.has(key)) return;
    const notice = (n: Omit<SideloadNotice, 'pod' | 'node' | 'image'>) =>
      options.onNotice?.({ pod, node: nodeName, image, ...n });
    const started = performance.now();
    const result = await sideloadImage(provider, node, image, {
      report: ({ bytes }) => notice({ state: 'loading', ...(bytes ? { bytes } : {}) }),
    });
    loaded.add(key);
    if (result.loaded)
      notice({ state: 'loaded', bytes: result.bytes, elapsedMs: performance.now() - started });
  };

  return {
    handlePod(pod) {
      const nodeName = pod.spec?.nodeName;
      if (!nodeName || pod.metadata?.deletionTimestamp) return;
      for (const [image, pullFailed] of imagesToStart(pod)) {
        const key = `${nodeName} ${image}`;
        if (running.has(key)) continue;
        const work = copy(pod, nodeName, image, pullFailed)
          .catch((err: unknown) => {
            // A node removed and added again under its name is a new container: look it up afresh.
            nodes.delete(nodeName);
            const error = (err as Error).message;
            log.warn('image sideload failed', { node: nodeName, image, error });
            options.onNotice?.({ pod, node: nodeName, image, state: 'failed', error });
          })
          .finally(() => running.delete(key));
        running.set(key, work);
      }
    },
    async idle() {
      await Promise.all(running.values());
    },
  };
}

const mib = (bytes = 0) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/**
 * The Event a notice becomes on its pod, as `kubectl describe pod` shows the kubelet's Pulling and
 * Pulled; byte progress in between is for progress lines only (undefined here).
 */
export function sideloadEvent(
  notice: SideloadNotice,
): { type: 'Normal' | 'Warning'; reason: string; message: string } | undefined {
  const where = `from the host's Docker engine into ${notice.node}`;
  if (notice.state === 'loading') {
    return notice.bytes
      ? undefined
      : { type: 'Normal', reason: 'Sideloading', message: `Copying image "${notice.image}" ${where}` };
  }
  if (notice.state === 'loaded') {
    const seconds = ((notice.elapsedMs ?? 0) / 1000).toFixed(1);
    const message = `Copied image "${notice.image}" (${mib(notice.bytes)}) ${where} in ${seconds}s`;
    return { type: 'Normal', reason: 'Sideloaded', message };
  }
  return {
    type: 'Warning',
    reason: 'FailedSideload',
    message: `Copying image "${notice.image}" ${where} failed: ${notice.error}`,
  };
}
