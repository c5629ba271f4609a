import { platform } from 'node:os';
import type { ControllerContext } from '../../cluster/controllers/runtime/controllerContext';
import { dataPaths } from '../../cluster/dataDir';
import type { Logger } from '../../cluster/log';
import type { AppApiHandlers } from './appApi';
import type { ClusterActionHandlers } from './clusterActions/clusterActionHandlers';
import { type ClusterControl, createClusterControlHandlers } from './clusterActions/clusterControl';
import { createClusterViewHandlers } from './clusterView/clusterViewHandlers';
import { createComposeHandlers } from './compose/composeHandlers';
import { type ClusterStatus, contract, type DockerStatus } from './contract';
import { readDockerStatus, watchDockerStatus } from './dockerStatus';
import { lazyMethods } from './lazyMethods';
import { createOperationsHandlers } from './operations/operationsHandlers';
import { createOperations, type Operations } from './operations/operationsRegistry';
import type { SettingsStore } from './settingsStore';
import { createHostTerminals } from './terminal/hostTerminals';
import { terminalMethods, terminalOutputTopic } from './terminal/terminalHandlers';
import type { TerminalSessions } from './terminal/terminalSessions';
import { createUsageHandlers } from './usage/usageHandlers';

// The application services behind AppApi, free of Electron so the desktop app and the headless
// host run exactly the same code.

export interface HostOptions {
  dataDir: string;
  mode: 'desktop' | 'headless';
  version: string;
  settings: SettingsStore;
  log: Logger;
  /** Injected in tests; defaults to the local Docker engine. */
  readDockerStatus?: () => Promise<DockerStatus>;
  /** Pass them to end them when the host stops (`closeAll()`); created here otherwise. */
  terminals?: TerminalSessions;
  /** Long work shown in the status bar; pass the one the ClusterManager reports to. */
  operations?: Operations;
}

export interface ClusterStatusSource {
  current(): ClusterStatus;
  onChange(listener: (status: ClusterStatus) => void): () => void;
  /** The running control plane's in-process client and informers, for the dashboard. */
  controllerContext?(): ControllerContext | undefined;
  /** Start/Stop/Restart/Reset, when this source owns the cluster (ClusterManager does). */
  control?(): ClusterControl;
}

/** Until a control plane is attached, the truth is that no cluster runs. */
export const noClusterStatus: ClusterStatusSource = {
  current: () => ({ state: 'stopped', message: 'Kubernetes is not running', nodes: 0 }),
  onChange: () => () => {},
};

export function createHostHandlers(
  options: HostOptions,
  cluster: ClusterStatusSource = noClusterStatus,
): AppApiHandlers {
  const { settings } = options;
  const readDocker = options.readDockerStatus ?? (() => readDockerStatus());
  const terminals = options.terminals ?? createHostTerminals({ dataDir: options.dataDir, log: options.log });
  const registry = options.operations ?? createOperations();
  const operations = createOperationsHandlers(registry);
  const compose = createComposeHandlers({
    dataDir: options.dataDir,
    log: options.log,
    cluster,
    operations: registry,
  });
  const actions = lazyMethods(
    Object.keys(contract.methods.actions) as (keyof ClusterActionHandlers)[],
    async () => {
      const { createClusterActionHandlers } = await import('./clusterActions/clusterActionHandlers');
      return createClusterActionHandlers({ dataDir: options.dataDir, cluster, log: options.log });
    },
  );
  const usage = createUsageHandlers({ dataDir: options.dataDir, cluster, log: options.log });
  const view = createClusterViewHandlers(
    { ...cluster, controllerContext: () => cluster.controllerContext?.() },
    options.log.child({ area: 'cluster-view' }),
    { kubeconfigPath: () => dataPaths(options.dataDir).kubeconfig },
  );
  return {
    methods: {
      app: {
        info: async () => ({
          name: 'Kubedesk',
          version: options.version,
          platform: platform(),
          mode: options.mode,
          dataDir: options.dataDir,
        }),
      },
      settings: {
        get: async () => settings.get(),
        update: async (patch) => {
          const next = settings.update(patch);
          options.log.info('settings changed', { keys: Object.keys(patch) });
          return next;
        },
      },
      cluster: {
        status: async () => cluster.current(),
        object: view.object,
        related: view.related,
        apply: view.apply,
      },
      docker: {
        status: () => readDocker(),
      },
      actions,
      clusterControl: createClusterControlHandlers(cluster),
      operations: operations.methods,
      compose: compose.methods,
      terminal: terminalMethods(terminals),
    },
    topics: {
      'settings.changed': (_args, emit) => settings.onChange(emit),
      'cluster.status': (_args, emit) => {
        emit(cluster.current());
        return cluster.onChange(emit);
      },
      'docker.status': (_args, emit) => watchDockerStatus(emit, { read: readDocker }),
      'cluster.table': view.table,
      operations: operations.topic,
      'usage.nodes': usage.nodes,
      'usage.pod': usage.pod,
      'cluster.podLogs': view.podLogs,
      'compose.progress': compose.progress,
      'terminal.output': terminalOutputTopic(terminals),
    },
  };
}
