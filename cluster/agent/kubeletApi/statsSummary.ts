import type { ServerResponse } from 'node:http';
import type Docker from 'dockerode';
import type { ContainerStats } from 'dockerode';
import type { Logger } from '../../log';
import { labels } from '../kubelet/containerLabels';

// GET /stats/summary: CPU and memory of every pod container on this node, read from the node's
// dockerd, in the shape of the kubelet's Summary API (k8s.io/kubelet/pkg/apis/stats/v1alpha1):
// cumulative `usageCoreNanoSeconds` (callers derive rates from two samples) and `workingSetBytes`
// (usage minus inactive file cache, as the kubelet and `docker stats` report it). Pause containers
// are left out, as the kubelet leaves them out.

export interface ContainerStatsSummary {
  name: string;
  cpu: { time: string; usageCoreNanoSeconds: number };
  memory: { time: string; workingSetBytes: number; usageBytes: number };
}

export interface PodStatsSummary {
  podRef: { name: string; namespace: string; uid: string };
  containers: ContainerStatsSummary[];
}

export interface StatsSummary {
  pods: PodStatsSummary[];
}

export function workingSetBytes(stats: ContainerStats): number {
  const memory = stats.memory_stats;
  const usage = memory?.usage ?? 0;
  // cgroup v2 names it inactive_file, v1 total_inactive_file.
  const inactive = memory?.stats?.inactive_file ?? memory?.stats?.total_inactive_file ?? 0;
  return Math.max(0, usage - inactive);
}

export async function readStatsSummary(docker: Docker): Promise<StatsSummary> {
  const containers = await docker.listContainers({ filters: { label: [labels.podUid] } });
  const pods = new Map<string, PodStatsSummary>();
  await Promise.all(
    containers
      .filter((c) => c.Labels[labels.kind] !== 'infra')
      .map(async (c) => {
        // One-shot: no second sample inside dockerd; rates come from the caller's successive reads.
        const stats = await docker.getContainer(c.Id).stats({ stream: false, 'one-shot': true });
        const uid = c.Labels[labels.podUid] ?? '';
        let pod = pods.get(uid);
        if (!pod) {
          pod = {
            podRef: {
              uid,
              name: c.Labels[labels.podName] ?? '',
              namespace: c.Labels[labels.podNamespace] ?? '',
            },
            containers: [],
          };
          pods.set(uid, pod);
        }
        const time = new Date(stats.read).toISOString();
        pod.containers.push({
          name: c.Labels[labels.container] ?? '',
          cpu: { time, usageCoreNanoSeconds: stats.cpu_stats?.cpu_usage?.total_usage ?? 0 },
          memory: {
            time,
            workingSetBytes: workingSetBytes(stats),
            usageBytes: stats.memory_stats?.usage ?? 0,
          },
        });
      }),
  );
  return { pods: [...pods.values()] };
}

export async function serveStatsSummary(docker: Docker, res: ServerResponse, log: Logger): Promise<void> {
  try {
    const body = JSON.stringify(await readStatsSummary(docker));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  } catch (err) {
    log.warn('stats summary failed', { error: (err as Error).message });
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end(`${(err as Error).message}\n`);
  }
}
