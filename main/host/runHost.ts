import { join } from 'node:path';
import { appRoot, appVersion } from '../../cluster/appRoot';
import { readHostState, removeHostState, writeHostState } from '../../cluster/host/hostState';
import type { Logger } from '../../cluster/log';
import { type HeadlessHost, startHeadlessHost } from '../headless';
import { type ClusterManager, type ClusterStartOptions, createClusterManager } from './clusterManager';
import { createHostHandlers } from './host';
import { createKubernetesToggle, followKubernetesSetting } from './kubernetesToggle';
import { createOperations } from './operations/operationsRegistry';
import { openConfSettings } from './settingsStore';
import { createHostTerminals } from './terminal/hostTerminals';

// The headless host process of one installation: settings, the cluster, and the UI served to a
// browser. `kubedesk serve` runs it in the foreground, `kubedesk start` in the background.

export class HostAlreadyRunningError extends Error {
  override name = 'HostAlreadyRunningError';
  readonly code = 'AlreadyRunning';
}

export interface RunHostOptions {
  dataDir: string;
  log: Logger;
  uiPort?: number;
  /** Start the cluster with these options at once; undefined starts it when "Enable Kubernetes" is on. */
  cluster?: ClusterStartOptions;
  /** Choices that override the settings' defaults when the setting starts the cluster. */
  clusterOverrides?: Partial<ClusterStartOptions>;
}

export interface RunningHost {
  ui: HeadlessHost;
  cluster: ClusterManager;
  stop(): Promise<void>;
}

export async function runHost(options: RunHostOptions): Promise<RunningHost> {
  const { dataDir, log } = options;
  const running = readHostState(dataDir);
  if (running) {
    throw new HostAlreadyRunningError(
      `Kubedesk already runs for ${dataDir} (pid ${running.pid})${running.uiUrl ? ` at ${running.uiUrl}` : ''}`,
    );
  }
  const settings = openConfSettings(dataDir);
  const operations = createOperations();
  const cluster = createClusterManager({ dataDir, log, settings, operations });
  const terminals = createHostTerminals({ dataDir, log });
  const handlers = createHostHandlers(
    { dataDir, mode: 'headless', version: appVersion, settings, log, terminals, operations },
    cluster,
  );
  const ui = await startHeadlessHost({
    handlers,
    rendererDir: join(appRoot, 'out', 'renderer'),
    port: options.uiPort,
    log,
  });

  const startedAt = new Date().toISOString();
  const record = () =>
    writeHostState(dataDir, {
      pid: process.pid,
      startedAt,
      uiUrl: ui.url,
      kubeconfigPath: cluster.kubeconfigPath(),
      cluster: cluster.current(),
    });
  record();
  const stopRecording = cluster.onChange(record);

  // Explicit options (`kubedesk start` flags) start the cluster whatever the setting says; either
  // way the "Enable Kubernetes" setting then starts and stops it while the host runs. A failed
  // start is recorded as the cluster's error state; the host and its UI stay up.
  const toggle = createKubernetesToggle({
    cluster,
    startOptions: () => options.cluster ?? { ...cluster.defaultStartOptions(), ...options.clusterOverrides },
    log,
  });
  void toggle.set(options.cluster !== undefined || settings.get().kubernetesEnabled);
  const stopFollowing = followKubernetesSetting(settings, toggle);

  return {
    ui,
    cluster,
    async stop() {
      stopFollowing();
      await toggle.close();
      await terminals.closeAll();
      await cluster.stop();
      stopRecording();
      await ui.close();
      removeHostState(dataDir, process.pid);
    },
  };
}
