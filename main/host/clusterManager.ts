import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { V1Node } from '@kubernetes/client-node';
import { type ControlPlane, startControlPlane } from '../../cluster/controlPlane';
import { mergeIntoUserKubeconfig, resolveUserKubeconfigPath } from '../../cluster/kubeconfig';
import type { Logger } from '../../cluster/log';
import { ensureAgentBundle } from '../../cluster/provisioner/agentBundle';
import {
  defaultHostAlias,
  deleteCluster,
  ensureClusterNetwork,
  type ProvisionerOptions,
  stopCluster,
} from '../../cluster/provisioner/cluster';
import { clusterNameFor } from '../../cluster/provisioner/clusterName';
import { bringUpNodes } from '../../cluster/provisioner/clusterNodes';
import {
  dockerForwarderEngine,
  type ForwarderEngine,
} from '../../cluster/provisioner/exposure/forwarderEngine';
import { createKubeletLocator } from '../../cluster/provisioner/kubeletLocator';
import { nodeServerUrl, readClusterCa } from '../../cluster/provisioner/nodeCredentials';
import type { NodeProvider } from '../../cluster/provisioner/providers/nodeProvider';
import type { Progress } from '../../cluster/provisioner/steps';
import { watchPodImages } from '../../cluster/provisioner/watchPodImages';
import { openStore } from '../../cluster/store/openStore';
import type { Store } from '../../cluster/store/store';
import type { ClusterControl } from './clusterActions/clusterControl';
import type { ClusterStatus } from './contract';
import type { ClusterStatusSource } from './host';
import type { OperationHandle, OperationSink } from './operations/operationsRegistry';
import { sideloadOperations } from './operations/sideloadOperations';
import { startHostServiceExposure } from './serviceExposure';
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
  /** Runs the containers publishing Services on localhost; default the default engine's (none with an injected nodeProvider). */
  forwarderEngine?: ForwarderEngine;
  /** Default derived from the data directory (`kubedesk` for the default one). */
  clusterName?: string;
  /** Provisioner choices tests make: the node image, how nodes reach the host, timeouts. */
  provisioner?: Pick<ProvisionerOptions, 'nodeImage' | 'hostAlias' | 'readyTimeoutMs' | 'readyIntervalMs'>;
  /** The agent bundle copied into nodes; default builds or reuses out/agent/agent.cjs. */
  agentBundle?: () => Promise<string>;
  /** Where starts and resets report their steps (the status bar's operations). */
  operations?: OperationSink;
}

interface RunningCluster {
  store: Store;
  controlPlane: ControlPlane;
  /** Present when this start brought real nodes up; they stop with the cluster. */
  nodes?: { provider: NodeProvider; count: number };
  /** Services published on localhost; stopped (ports freed) before the nodes. */
  exposure?: { stop(): Promise<void> };
  /** Stops copying host images into nodes for their pods. */
  stopSideloads?: () => void;
}

/** One status line per provisioning step, e.g. "create node kubedesk-node-2: privileged". */
export function progressMessage(progress: Progress): string {
  const state = progress.state === 'failed' ? ' failed' : progress.state === 'done' ? ': done' : '';
  const detail = progress.detail ? ` (${progress.detail})` : '';
  const bytes = progress.bytes ? ` ${(progress.bytes / (1024 * 1024)).toFixed(0)} MiB` : '';
  return `${progress.step}${state}${detail}${bytes}`;
}

const isNotFound = (err: unknown) => (err as { code?: number }).code === 404;

async function nodeReader(kubeconfigPath: string): Promise<(name: string) => Promise<V1Node | undefined>> {
  // Loaded only when nodes start: the client library alone costs a host ~70 MB of memory.
  const [{ CoreV1Api }, { loadKubeConfig }] = await Promise.all([
    import('@kubernetes/client-node'),
    import('../../cluster/kubeconfig/loadKubeConfig'),
  ]);
  const core = loadKubeConfig(kubeconfigPath).makeApiClient(CoreV1Api);
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
  /** What the Dashboard's Start and Restart start again. */
  let lastStart: ClusterStartOptions | undefined;
  let op: OperationHandle | undefined;
  let transition: Promise<void> = Promise.resolve();
  let provider = options.nodeProvider;
  let forwarderEngine = options.forwarderEngine;
  // dockerode is loaded on first use, so a control plane without nodes never pays for it.
  const nodeProvider = async () => {
    if (!provider) {
      const { createDockerProvider } = await import('../../cluster/provisioner/providers/dockerProvider');
      const docker = createDockerProvider({ log });
      provider = docker;
      forwarderEngine ??= dockerForwarderEngine(docker.docker);
    }
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
        readNode: await nodeReader(controlPlane.kubeconfigPath),
        agentBundle: await (options.agentBundle ?? (() => ensureAgentBundle()))(),
      },
      {
        ...options.provisioner,
        provider: engine,
        hostAlias,
        log,
        onProgress: (progress) => {
          op?.progress(progress);
          if (progress.state === 'done' && progress.step.endsWith(' to be Ready')) ready += 1;
          publish({ state: 'starting', message: progressMessage(progress), nodes: ready });
        },
      },
    );
  };

  const start = async (startOptions: ClusterStartOptions) => {
    if (running) return;
    lastStart = startOptions;
    op = options.operations?.begin('Start Kubernetes', { retry: () => serialize(() => start(startOptions)) });
    const nodeCount = startOptions.nodes ?? 0;
    const engine = nodeCount > 0 ? await nodeProvider() : undefined;
    let store: Store | undefined;
    let controlPlane: ControlPlane | undefined;
    try {
      // Nodes reach the API server on the cluster network's gateway, so that network comes first.
      const bindAddresses = ['127.0.0.1'];
      if (engine) {
        op?.phase('create the cluster network');
        publish({ state: 'starting', message: 'Creating the cluster network', nodes: 0 });
        const network = await ensureClusterNetwork(clusterName, { provider: engine });
        if (hostAlias === 'network-gateway') bindAddresses.push(network.gateway);
      }
      op?.phase('start the control plane');
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
        // Before the nodes join, so pods already bound to them get their images on the first sync.
        running.stopSideloads = watchPodImages(
          controlPlane.controllerContext,
          engine,
          clusterName,
          options.operations ? { onNotice: sideloadOperations(options.operations) } : {},
        );
        const state = await startNodes(controlPlane, engine, nodeCount);
        running.nodes.count = state.nodes.length;
        nodes += state.nodes.length;
        if (forwarderEngine) {
          running.exposure = startHostServiceExposure({
            context: controlPlane.controllerContext,
            engine: forwarderEngine,
            provider: engine,
            cluster: clusterName,
            image: state.image,
            settings: options.settings,
          });
        }
        message += `; ${state.nodes.length} node${state.nodes.length === 1 ? '' : 's'} Ready (${state.securityMode} containers)`;
        log.info('nodes ready', { cluster: clusterName, nodes, mode: state.securityMode });
      }
      publish({ state: 'running', message, apiServerUrl: controlPlane.url, nodes });
      op?.succeed();
      log.info('cluster running', { apiServer: controlPlane.url, store: startOptions.store.kind, nodes });
    } catch (err) {
      // Nodes left running would keep calling an API server that is gone.
      if (engine) await stopCluster(clusterName, { provider: engine }).catch(() => {});
      await controlPlane?.stop().catch(() => {});
      await store?.close().catch(() => {});
      running = undefined;
      const message = `Kubernetes failed to start: ${(err as Error).message}`;
      publish({ state: 'error', message, nodes: 0 });
      op?.fail(err);
      log.error('cluster start failed', { error: (err as Error).message });
      throw err;
    }
  };

  const stopped: ClusterStatus = { state: 'stopped', message: 'Kubernetes is not running', nodes: 0 };

  const stop = async () => {
    if (!running) {
      // Turning Kubernetes off after a failed start clears the error: nothing is meant to run now.
      if (status.state === 'error') publish(stopped);
      return;
    }
    const { store, controlPlane, nodes, exposure, stopSideloads } = running;
    running = undefined;
    stopSideloads?.();
    await exposure
      ?.stop()
      .catch((err: unknown) =>
        log.error('removing service forwarders failed', { error: (err as Error).message }),
      );
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
    publish(stopped);
    log.info('cluster stopped');
  };

  const defaultStartOptions = (): ClusterStartOptions => ({
    store: { kind: 'sqlite' },
    nodes: options.settings.get().nodeCount,
  });

  // `kubedesk delete` then a start: nodes, volumes, network and cluster state go; settings stay.
  const reset = async () => {
    const again = lastStart ?? defaultStartOptions();
    await stop();
    const resetOp = options.operations?.begin('Reset Kubernetes', { retry: () => serialize(reset) });
    try {
      if ((again.nodes ?? 0) > 0 || provider) {
        resetOp?.phase('remove the nodes, their volumes and the network');
        await deleteCluster(clusterName, {
          provider: await nodeProvider(),
          log,
          onProgress: (p) => resetOp?.progress(p),
        });
      }
      resetOp?.phase('remove the cluster state');
      // A command module (with the Docker and Kubernetes clients behind it): loaded only for a reset.
      const { clusterStatePaths } = await import('../../cluster/commands/delete');
      for (const path of clusterStatePaths(dataDir)) await rm(path, { recursive: true, force: true });
      resetOp?.succeed();
    } catch (err) {
      resetOp?.fail(err);
      throw err;
    }
    log.info('cluster reset', { cluster: clusterName });
    await start(again);
  };

  const control: ClusterControl = {
    name: clusterName,
    start: () => serialize(() => start(lastStart ?? defaultStartOptions())),
    stop: () => serialize(stop),
    restart: () =>
      serialize(async () => {
        const again = lastStart ?? defaultStartOptions();
        await stop();
        await start(again);
      }),
    reset: () => serialize(reset),
  };

  return {
    current: () => status,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    defaultStartOptions,
    start: (startOptions) => serialize(() => start(startOptions)),
    stop: () => serialize(stop),
    kubeconfigPath: () => running?.controlPlane.kubeconfigPath,
    controllerContext: () => running?.controlPlane.controllerContext,
    control: () => control,
  };
}
