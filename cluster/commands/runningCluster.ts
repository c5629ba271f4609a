import { CoreV1Api, type KubeConfig, type V1Node } from '@kubernetes/client-node';
import { type HostState, readHostState } from '../host/hostState';
import { loadKubeConfig } from '../kubeconfig/loadKubeConfig';
import { ensureAgentBundle } from '../provisioner/agentBundle';
import { clusterNameFor } from '../provisioner/clusterName';
import type { ControlPlaneAccess } from '../provisioner/clusterNodes';
import { nodeServerUrl, readClusterCa } from '../provisioner/nodeCredentials';
import { createDockerProvider, type DockerProvider } from '../provisioner/providers/dockerProvider';
import type { Progress } from '../provisioner/steps';

// What node, image and port-forward commands need from an installation whose cluster runs: its
// engine, its cluster's name, its admin kubeconfig and API client, and the way new nodes join its
// control plane.

export interface RunningCluster {
  host: HostState;
  name: string;
  provider: DockerProvider;
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  access(): Promise<ControlPlaneAccess>;
}

const isNotFound = (err: unknown) => (err as { code?: number }).code === 404;

export function requireRunningCluster(dataDir: string): RunningCluster {
  const host = readHostState(dataDir);
  if (host?.cluster.state !== 'running' || !host.cluster.apiServerUrl || !host.kubeconfigPath) {
    throw new Error(
      `the cluster of ${dataDir} is not running${host ? ` (${host.cluster.message})` : ''}: start it first (kubedesk start)`,
    );
  }
  const kubeConfig = loadKubeConfig(host.kubeconfigPath);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apiPort = Number(new URL(host.cluster.apiServerUrl).port);
  return {
    host,
    name: clusterNameFor(dataDir),
    provider: createDockerProvider(),
    kubeConfig,
    core,
    access: async () => ({
      serverUrl: nodeServerUrl(apiPort),
      ca: await readClusterCa(dataDir),
      readNode: (name: string): Promise<V1Node | undefined> =>
        core.readNode({ name }).catch((err: unknown) => {
          if (isNotFound(err)) return undefined;
          throw err;
        }),
      agentBundle: await ensureAgentBundle(),
    }),
  };
}

/** Progress as lines a person follows in a terminal: each step when it ends, and what failed. */
export function printProgress(write: (line: string) => void): (progress: Progress) => void {
  return (progress) => {
    if (progress.state === 'running') return;
    const took = progress.elapsedMs !== undefined ? ` (${(progress.elapsedMs / 1000).toFixed(1)} s)` : '';
    write(progress.state === 'done' ? `✓ ${progress.step}${took}` : `✗ ${progress.error ?? progress.step}`);
  };
}
