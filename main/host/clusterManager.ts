import { homedir } from 'node:os';
import { join } from 'node:path';
import { type ControlPlane, startControlPlane } from '../../cluster/controlPlane';
import { mergeIntoUserKubeconfig, resolveUserKubeconfigPath } from '../../cluster/kubeconfig';
import type { Logger } from '../../cluster/log';
import { openStore } from '../../cluster/store/openStore';
import type { Store } from '../../cluster/store/store';
import type { ClusterStatus } from './contract';
import type { ClusterStatusSource } from './host';
import type { SettingsStore } from './settingsStore';

// Owns the cluster of one installation: the store and the control plane, started and stopped as
// one, with its state published to the UI, the tray and `kubedesk status`.

export type StoreChoice = { kind: 'sqlite' } | { kind: 'etcd'; endpoints: string[] };

export interface ClusterStartOptions {
  store: StoreChoice;
  /** API server port; taken ports fall back to a free one. */
  apiPort?: number;
}

export interface ClusterManager extends ClusterStatusSource {
  defaultStartOptions(): ClusterStartOptions;
  start(options: ClusterStartOptions): Promise<void>;
  stop(): Promise<void>;
  kubeconfigPath(): string | undefined;
}

export interface ClusterManagerOptions {
  dataDir: string;
  log: Logger;
  settings: SettingsStore;
  /** The user's kubeconfig to merge the `kubedesk` context into; default `$KUBECONFIG` or ~/.kube/config. */
  userKubeconfigPath?: string;
}

export function createClusterManager(options: ClusterManagerOptions): ClusterManager {
  const { dataDir, log } = options;
  const listeners = new Set<(status: ClusterStatus) => void>();
  let status: ClusterStatus = { state: 'stopped', message: 'Kubernetes is not running', nodes: 0 };
  let running: { store: Store; controlPlane: ControlPlane } | undefined;
  let transition: Promise<void> = Promise.resolve();

  const publish = (next: ClusterStatus) => {
    status = next;
    for (const listener of listeners) listener(next);
  };

  // Start and stop queue behind each other so a quick toggle never runs two control planes.
  const serialize = (work: () => Promise<void>) => {
    const next = transition.then(work, work);
    transition = next.catch(() => {});
    return next;
  };

  const start = async (startOptions: ClusterStartOptions) => {
    if (running) return;
    publish({ state: 'starting', message: 'Starting the control plane', nodes: 0 });
    let store: Store | undefined;
    try {
      store = await openStore(
        startOptions.store.kind === 'etcd'
          ? { kind: 'etcd', endpoints: startOptions.store.endpoints }
          : { kind: 'sqlite', path: join(dataDir, 'store', 'cluster.db') },
      );
      const controlPlane = await startControlPlane({ dataDir, store, port: startOptions.apiPort, log });
      running = { store, controlPlane };
      await mergeIntoUserKubeconfig({
        userPath: options.userKubeconfigPath ?? resolveUserKubeconfigPath(process.env, homedir()),
        entry: controlPlane.kubeconfigEntry,
        switchContext: options.settings.get().switchKubeContext,
      });
      publish({
        state: 'running',
        message: `API server at ${controlPlane.url}`,
        apiServerUrl: controlPlane.url,
        nodes: 0,
      });
      log.info('cluster running', { apiServer: controlPlane.url, store: startOptions.store.kind });
    } catch (err) {
      await running?.controlPlane.stop().catch(() => {});
      await store?.close().catch(() => {});
      running = undefined;
      const message = `Kubernetes failed to start: ${(err as Error).message}`;
      publish({ state: 'error', message, nodes: 0 });
      log.error('cluster start failed', { error: (err as Error).message });
      throw err;
    }
  };

  const stop = async () => {
    if (!running) return;
    publish({ ...status, state: 'stopping', message: 'Stopping the control plane' });
    const { store, controlPlane } = running;
    running = undefined;
    await controlPlane.stop();
    await store.close();
    publish({ state: 'stopped', message: 'Kubernetes is not running', nodes: 0 });
    log.info('cluster stopped');
  };

  return {
    current: () => status,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    defaultStartOptions: () => ({ store: { kind: 'sqlite' } }),
    start: (startOptions) => serialize(() => start(startOptions)),
    stop: () => serialize(stop),
    kubeconfigPath: () => running?.controlPlane.kubeconfigPath,
  };
}
