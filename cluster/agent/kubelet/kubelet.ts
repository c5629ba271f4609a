import { CoordinationV1Api, CoreV1Api, type KubeConfig, type V1Pod, Watch } from '@kubernetes/client-node';
import Docker from 'dockerode';
import type { Logger } from '../../log';
import { watchImageArrivals } from './imageArrivals';
import { localFacts, type NodeFacts } from './nodeObject';
import { registerNode, startHeartbeat } from './nodeRegistration';
import { ensurePauseImage } from './pauseImage';
import { PodWorker } from './podWorker';

// The kubelet: registers the node, keeps its lease, watches the pods bound to it and syncs each one
// on every change and once a second (for restarts, back-off and probes), one sync per pod at a time.

export interface KubeletOptions {
  kubeConfig: KubeConfig;
  log: Logger;
  docker?: Docker;
  env?: NodeJS.ProcessEnv;
  syncIntervalMs?: number;
}

export interface Kubelet {
  facts: NodeFacts;
  worker: PodWorker;
  pods(): V1Pod[];
  stop(): Promise<void>;
}

export async function startKubelet(options: KubeletOptions): Promise<Kubelet> {
  const { kubeConfig, log } = options;
  const docker = options.docker ?? new Docker({ socketPath: '/var/run/docker.sock' });
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const coordination = kubeConfig.makeApiClient(CoordinationV1Api);
  const version = await docker.version();
  const facts = localFacts(options.env ?? process.env, version.Version);
  await ensurePauseImage();
  const node = await registerNode(core, facts);
  const abort = new AbortController();
  startHeartbeat({ core, coordination }, facts, node, log, abort.signal);

  const worker = new PodWorker({ docker, core, nodeName: facts.name, hostIP: facts.ip, log });
  const pods = new Map<string, V1Pod>();
  const syncing = new Map<string, Promise<void>>();
  const pending = new Set<string>();
  const fieldSelector = `spec.nodeName=${facts.name}`;

  /**
   * A change (watch event, image arrival) queues one more sync behind a running one; a periodic
   * sync is dropped instead, so a busy node is not kept busier by back-to-back syncs of every pod.
   */
  const sync = (uid: string, reason: 'change' | 'tick' = 'change') => {
    if (syncing.has(uid)) {
      if (reason === 'change') pending.add(uid);
      return;
    }
    const run = async () => {
      const pod = pods.get(uid);
      if (pod) await worker.syncPod(pod);
      else await worker.killPod(uid, 0);
    };
    const work = run()
      .catch((err) => log.warn('pod sync failed', { pod: uid, error: (err as Error).message }))
      .finally(() => {
        syncing.delete(uid);
        if (pending.delete(uid)) sync(uid);
      });
    syncing.set(uid, work);
  };

  const watch = new Watch(kubeConfig);
  let request: { abort(): void } | undefined;
  const listAndWatch = async (): Promise<void> => {
    if (abort.signal.aborted) return;
    try {
      const list = await core.listPodForAllNamespaces({ fieldSelector });
      const seen = new Set<string>();
      for (const pod of list.items) {
        const uid = pod.metadata?.uid ?? '';
        seen.add(uid);
        pods.set(uid, pod);
      }
      for (const uid of [...pods.keys()]) if (!seen.has(uid)) pods.delete(uid);
      await worker.removeOrphans(seen);
      for (const uid of pods.keys()) sync(uid);
      request = await watch.watch(
        '/api/v1/pods',
        { fieldSelector, resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
        (type: string, pod: V1Pod) => {
          const uid = pod.metadata?.uid;
          if (!uid || type === 'BOOKMARK') return;
          if (type === 'DELETED') pods.delete(uid);
          else pods.set(uid, pod);
          if (type === 'DELETED' || pod.metadata?.deletionTimestamp) worker.podTerminating(uid);
          sync(uid);
        },
        () => setTimeout(() => void listAndWatch(), 500),
      );
    } catch (err) {
      log.warn('pod watch failed', { node: facts.name, error: (err as Error).message });
      setTimeout(() => void listAndWatch(), 2000);
    }
  };
  await listAndWatch();
  // Pods still Pending may be waiting for exactly this image (a host sideload or a pull elsewhere).
  watchImageArrivals(
    docker,
    () => {
      for (const [uid, pod] of pods) if ((pod.status?.phase ?? 'Pending') === 'Pending') sync(uid);
    },
    log,
    abort.signal,
  );
  const ticker = setInterval(() => {
    for (const uid of pods.keys()) sync(uid, 'tick');
  }, options.syncIntervalMs ?? 1000);
  log.info('kubelet started', { node: facts.name });

  return {
    facts,
    worker,
    pods: () => [...pods.values()],
    async stop() {
      abort.abort();
      clearInterval(ticker);
      request?.abort();
      await Promise.all(syncing.values());
    },
  };
}
