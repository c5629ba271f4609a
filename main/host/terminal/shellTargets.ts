import { existsSync } from 'node:fs';
import type Docker from 'dockerode';
import { labelKeys, roles } from '../../../cluster/provisioner/labels';
import { defaultContainer } from './podShell';
import type { TerminalTargets } from './terminalContract';

// The pods and nodes the Terminal page's picker offers, read as any client would: pods from the
// API server with the installation's kubeconfig, node containers from the Docker engine.

export interface ShellTargetsOptions {
  kubeconfigPath: string;
  cluster: string;
  docker: () => Promise<Docker>;
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function listPods(kubeconfigPath: string): Promise<TerminalTargets['pods']> {
  if (!existsSync(kubeconfigPath)) throw new Error('no cluster has run yet');
  // Loaded when the picker opens: the client library alone costs the host ~70 MB of memory.
  const [{ CoreV1Api }, { loadKubeConfig }] = await Promise.all([
    import('@kubernetes/client-node'),
    import('../../../cluster/kubeconfig/loadKubeConfig'),
  ]);
  const { items } = await loadKubeConfig(kubeconfigPath).makeApiClient(CoreV1Api).listPodForAllNamespaces();
  return items
    .filter((pod) => pod.metadata?.name && pod.metadata.namespace)
    .map((pod) => ({
      namespace: pod.metadata?.namespace as string,
      name: pod.metadata?.name as string,
      containers: pod.spec?.containers.map((c) => c.name) ?? [],
      defaultContainer: defaultContainer(pod),
      phase: pod.status?.phase ?? 'Unknown',
    }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

async function listNodes(options: ShellTargetsOptions): Promise<string[]> {
  const docker = await options.docker();
  const containers = await docker.listContainers({
    filters: { label: [`${labelKeys.cluster}=${options.cluster}`, `${labelKeys.role}=${roles.node}`] },
  });
  return containers.flatMap((c) => c.Names.map((name) => name.slice(1))).sort();
}

export async function readShellTargets(options: ShellTargetsOptions): Promise<TerminalTargets> {
  const [pods, nodes] = await Promise.allSettled([listPods(options.kubeconfigPath), listNodes(options)]);
  const problems: string[] = [];
  if (pods.status === 'rejected') problems.push(`pods: ${reason(pods.reason)}`);
  if (nodes.status === 'rejected') problems.push(`node containers: ${reason(nodes.reason)}`);
  return {
    pods: pods.status === 'fulfilled' ? pods.value : [],
    nodes: nodes.status === 'fulfilled' ? nodes.value : [],
    problems,
  };
}
