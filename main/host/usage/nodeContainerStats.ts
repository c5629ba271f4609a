import { workingSetBytes } from '../../../cluster/agent/kubeletApi/statsSummary';
import type { CumulativeReading } from './usageSeries';

// Node usage from the host's Docker engine: one-shot stats of this cluster's node containers (found
// by their labels), keyed by node name. dockerode loads on first use, so a host whose Dashboard is
// never opened does not pay for it.

export type NodeStatsReader = () => Promise<Map<string, CumulativeReading>>;

export function dockerNodeStats(clusterName: string): NodeStatsReader {
  let docker: Promise<import('dockerode')> | undefined;
  return async () => {
    docker ??= import('dockerode').then(({ default: Docker }) => new Docker());
    const engine = await docker;
    const containers = await engine.listContainers({
      filters: {
        label: [`kubedesk.io/cluster=${clusterName}`, 'kubedesk.io/role=node'],
        status: ['running'],
      },
    });
    const readings = new Map<string, CumulativeReading>();
    await Promise.all(
      containers.map(async (c) => {
        const stats = await engine.getContainer(c.Id).stats({ stream: false, 'one-shot': true });
        readings.set((c.Names[0] ?? '').replace(/^\//, ''), {
          t: Date.parse(stats.read),
          cpuNanoSeconds: stats.cpu_stats?.cpu_usage?.total_usage ?? 0,
          memoryBytes: workingSetBytes(stats),
        });
      }),
    );
    return readings;
  };
}
