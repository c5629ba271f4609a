import { homedir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, type V1Node } from '@kubernetes/client-node';
import { type ControlPlane, startControlPlane } from '../../cluster/controlPlane';
import { mergeIntoUserKubeconfig, resolveUserKubeconfigPath } from '../../cluster/kubeconfig';
import type { Logger } from '../../cluster/log';
import { ensureAgentBundle } from '../../cluster/provisioner/agentBundle';
import {
  defaultHostAlias,
  ensureClusterNetwork,
  type ProvisionerOptions,
  stopCluster,
} from '../../cluster/provisioner/cluster';
import { clusterNameFor } from '../../cluster/provisioner/clusterName';
import { bringUpNodes } from '../../cluster/provisioner/clusterNodes';
import { createKubeletLocator } from '../../cluster/provisioner/kubeletLocator';
import { nodeServerUrl, readClusterCa } from '../../cluster/provisioner/nodeCredentials';
import { createDockerProvider } from '../../cluster/provisioner/providers/dockerProvider';
import type { NodeProvider } from '../../cluster/provisioner/providers/nodeProvider';
import type { Progress } from '../../cluster/provisioner/steps';
import { openStore } from '../../cluster/store/openStore';
import type { Store } from '../../cluster/store/store';
import type { ClusterStatus } from './contract';
import type { ClusterStatusSource } from './host';
import type { SettingsStore } from './settingsStore';

// Owns the cluster of one installation: the store, the control plane and the real nodes, started
// and stopped as one, with its state (and each node's progress) published to the UI, the tray and
// `kubedesk status`.

export type StoreChoice = { kind: 'sqlite' } | { kind: 'etcd'; endpoints: string[] };

export interface ClusterStartOptions {
  store: StoreChoice;
  /** API server port; taken ports fall back to a free one. */
  apiPort?: number;
  /** Real nodes (Docker-in-Docker containers); 0 or absent runs the control plane alone. */
  nodes?: number;
  /** In-process simulated nodes, beside or instead of real ones (tests, scale trials). */
  simulatedNodes?: number;
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
  /** The engine running the nodes; default the local Docker engine. */
  nodeProvider?: NodeProvider;
  /** Default derived from the data directory (`kubedesk` for the default one). */
  clusterName?: string;
  /** Provisioner choices tests make: the node image, how nodes reach the host, timeouts. */
  provisioner?: Pick<ProvisionerOptions, 'nodeImage' | 'hostAlias' | 'readyTimeoutMs' | 'readyIntervalMs'>;
  /** The agent bundle copied into nodes; default builds or reuses out/agent/agent.cjs. */
  agentBundle?: () => Promise<string>;
}

interface RunningCluster {
  store: Store;
  controlPlane: ControlPlane;
  /** Present when this start brought real nodes up; they stop with the cluster. */
  nodes?: { provider: NodeProvider; count: number };
}

/** One status line per provisioning step, e.g. "create node kubedesk-node-2: privileged". */
export function progressMessage(progress: Progress): string {
  const state = progress.state === 'failed' ? ' failed' : progress.state === 'done' ? ': done' : '';
  const detail = progress.detail ? ` (${progress.detail})` : '';
  const bytes = progress.bytes ? ` ${(progress.bytes / (1024 * 1024)).toFixed(0)} MiB` : '';
  return `${progress.step}${state}${detail}${bytes}`;
}

const isNotFound = (err: unknown) => (err as { code?: number }).code === 404;

function nodeReader(kubeconfigPath: string): (name: string) => Promise<V1Node | undefined> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  return (name) =>
    core.readNode({ name }).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
}

export function createClusterManager(options: ClusterManagerOptions): ClusterManager {
  const { dataDir, log } = options;
  const clusterName = options.clusterName ?? clusterNameFor(dataDir);
  const hostAlias = options.provisioner?.hostAlias ?? defaultHostAlias();
  const listeners = new Set<(status: ClusterStatus) => void>();
  let status: ClusterStatus = { state: 'stopped', message: 'Kubernetes is not running', nodes: 0 };
  let running: RunningCluster | undefined;
  let transition: Promise<void> = Promise.resolve();
  let provider = options.nodeProvider;
  const nodeProvider = () => {
    provider ??= createDockerProvider({ log });
    return provider;
  };

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

  const startNodes = async (controlPlane: ControlPlane, engine: NodeProvider, count: number) => {
    let ready = 0;
    return bringUpNodes(
      { name: clusterName, nodes: count },
      {
        serverUrl: nodeServerUrl(controlPlane.port),
        ca: await readClusterCa(dataDir),
        readNode: nodeReader(controlPlane.kubeconfigPath),
        agentBundle: await (options.agentBundle ?? (() => ensureAgentBundle()))(),
      },
      {
        ...options.provisioner,
        provider: engine,
        hostAlias,
        log,
        onProgress: (progress) => {
          if (progress.state === 'done' && progress.step.endsWith(' to be Ready')) ready += 1;
          publish({ state: 'starting', message: progressMessage(progress), nodes: ready });
        },
      },
    );
  };

  const start = async (startOptions: ClusterStartOptions) => {
    if (running) return;
    const nodeCount = startOptions.nodes ?? 0;
    const engine = nodeCount > 0 ? nodeProvider() : undefined;
    let store: Store | undefined;
    let controlPlane: ControlPlane | undefined;
    try {
      // Nodes reach the API server on the cluster network's gateway, so that network comes first.
      const bindAddresses = ['127.0.0.1'];
      if (engine) {
        publish({ state: 'starting', message: 'Creating the cluster network', nodes: 0 });
        const network = await ensureClusterNetwork(clusterName, { provider: engine });
        if (hostAlias === 'network-gateway') bindAddresses.push(network.gateway);
      }
      publish({ state: 'starting', message: 'Starting the control plane', nodes: 0 });
      store = await openStore(
        startOptions.store.kind === 'etcd'
          ? { kind: 'etcd', endpoints: startOptions.store.endpoints }
          : { kind: 'sqlite', path: join(dataDir, 'store', 'cluster.db') },
      );
      controlPlane = await startControlPlane({
        dataDir,
        store,
        port: startOptions.apiPort,
        bindAddresses,
        log,
        ...(engine ? { kubeletLocator: createKubeletLocator(engine, clusterName) } : {}),
        ...(startOptions.simulatedNodes ? { simulatedNodes: startOptions.simulatedNodes } : {}),
      });
      await mergeIntoUserKubeconfig({
        userPath: options.userKubeconfigPath ?? resolveUserKubeconfigPath(process.env, homedir()),
        entry: controlPlane.kubeconfigEntry,
        switchContext: options.settings.get().switchKubeContext,
      });
      running = { store, controlPlane };
      let message = `API server at ${controlPlane.url}`;
      let nodes = startOptions.simulatedNodes ?? 0;
      if (nodes > 0) message += `; ${nodes} simulated node${nodes === 1 ? '' : 's'}`;
      if (engine) {
        running.nodes = { provider: engine, count: nodeCount };
        const state = await startNodes(controlPlane, engine, nodeCount);
        running.nodes.count = state.nodes.length;
        nodes += state.nodes.length;
        message += `; ${state.nodes.length} node${state.nodes.length === 1 ? '' : 's'} Ready (${state.securityMode} containers)`;
        log.info('nodes ready', { cluster: clusterName, nodes, mode: state.securityMode });
      }
      publish({ state: 'running', message, apiServerUrl: controlPlane.url, nodes });
      log.info('cluster running', { apiServer: controlPlane.url, store: startOptions.store.kind, nodes });
    } catch (err) {
      // Nodes left running would keep calling an API server that is gone.
      if (engine) await stopCluster(clusterName, { provider: engine }).catch(() => {});
      await controlPlane?.stop().catch(() => {});
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
    const { store, controlPlane, nodes } = running;
    running = undefined;
    if (nodes) {
      publish({ ...status, state: 'stopping', message: `Stopping ${nodes.count} nodes` });
      // Stopped, not removed: the next start brings the same nodes (and their pods) back.
      await stopCluster(clusterName, { provider: nodes.provider, log }).catch((err: unknown) =>
        log.error('stopping nodes failed', { error: (err as Error).message }),
      );
    }
    publish({ ...status, state: 'stopping', message: 'Stopping the control plane' });
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
    defaultStartOptions: () => ({ store: { kind: 'sqlite' }, nodes: options.settings.get().nodeCount }),
    start: (startOptions) => serialize(() => start(startOptions)),
    stop: () => serialize(stop),
    kubeconfigPath: () => running?.controlPlane.kubeconfigPath,
    controllerContext: () => running?.controlPlane.controllerContext,
  };
}
