import type { DockerProvider } from '../../cluster/provisioner/providers/dockerProvider';

// Memory of each node container as `docker stats` shows it: usage minus page cache (cgroup v1
// `total_inactive_file`, v2 `inactive_file`), which is dockerd, containerd, the agent and its pods.

export async function nodeMemoryMiB(
  provider: DockerProvider,
  cluster: string,
): Promise<{ node: string; mib: number }[]> {
  const nodes = await provider.listNodes(cluster);
  return Promise.all(
    nodes.map(async (node) => {
      const stats = await provider.docker.getContainer(node.id).stats({ stream: false });
      const cache =
        stats.memory_stats.stats?.total_inactive_file ?? stats.memory_stats.stats?.inactive_file ?? 0;
      return { node: node.name, mib: (stats.memory_stats.usage - cache) / (1024 * 1024) };
    }),
  );
}
