import type { V1Pod } from '@kubernetes/client-node';
import { resources } from '../../../cluster/controllers/runtime/resources';
import type { Logger } from '../../../cluster/log';
import type { AppApiHandlers } from '../appApi';
import type { ClusterStatusSource } from '../host';
import type { KubeletStatsReader } from './kubeletStats';
import type { NodeStatsReader } from './nodeContainerStats';
import type { PodUsageArgs, UsageSeries } from './usageContract';
import { UsageSeriesBuffer } from './usageSeries';

// Samples usage every `intervalMs` while anyone watches: every node (Docker stats of its container)
// for `usage.nodes`, and each watched pod (its node's kubelet summary, read once per round however
// many pods of that node are watched) for `usage.pod`. Series live in bounded ring buffers and are
// forgotten when nobody watches them.

export interface UsageSamplerOptions {
  cluster: ClusterStatusSource;
  readNodes: NodeStatsReader;
  readKubelet: KubeletStatsReader;
  log: Logger;
  intervalMs?: number;
  /** Samples kept per series: 100 × 3 s is the last five minutes. */
  capacity?: number;
}

const simulatedReason = 'simulated node: it runs no containers, so it has no usage to show';
const simulatedPodReason =
  'it runs on a simulated node, which runs no containers, so it has no usage to show';

type NodesEmit = Parameters<AppApiHandlers['topics']['usage.nodes']>[1];
type PodEmit = Parameters<AppApiHandlers['topics']['usage.pod']>[1];

export function createUsageSampler(options: UsageSamplerOptions) {
  const intervalMs = options.intervalMs ?? 3_000;
  const capacity = options.capacity ?? 100;
  const nodeWatchers = new Set<NodesEmit>();
  const podWatchers = new Map<PodEmit, PodUsageArgs>();
  const nodeSeries = new Map<string, UsageSeriesBuffer>();
  const podSeries = new Map<string, UsageSeriesBuffer>();
  let timer: NodeJS.Timeout | undefined;
  let sampling = false;

  const seriesOf = (map: Map<string, UsageSeriesBuffer>, key: string) => {
    let series = map.get(key);
    if (!series) {
      series = new UsageSeriesBuffer(capacity);
      map.set(key, series);
    }
    return series;
  };
  const unavailable = (name: string, reason: string): UsageSeries => ({
    name,
    available: false,
    reason,
    samples: [],
  });

  const sampleNodes = async (nodeNames: string[], readings: Awaited<ReturnType<NodeStatsReader>>) => {
    const views: UsageSeries[] = nodeNames.map((name) => {
      const reading = readings.get(name);
      if (!reading) return unavailable(name, simulatedReason);
      const series = seriesOf(nodeSeries, name);
      series.add(reading);
      return { name, available: true, samples: series.list() };
    });
    for (const name of nodeSeries.keys()) if (!nodeNames.includes(name)) nodeSeries.delete(name);
    for (const emit of nodeWatchers) emit({ intervalMs, nodes: views });
  };

  const samplePods = async (pods: (V1Pod | undefined)[], realNodes: Set<string>) => {
    const summaries = new Map<string, ReturnType<KubeletStatsReader>>();
    const summaryOf = (node: string) => {
      let summary = summaries.get(node);
      if (!summary) {
        summary = options.readKubelet(node);
        summaries.set(node, summary);
      }
      return summary;
    };
    const watched = [...podWatchers.entries()];
    await Promise.all(
      watched.map(async ([emit, args], i) => {
        const key = `${args.namespace}/${args.name}`;
        const pod = pods[i];
        const node = pod?.spec?.nodeName;
        if (!pod) return emit({ intervalMs, pod: unavailable(key, 'the pod does not exist') });
        if (!node)
          return emit({ intervalMs, pod: unavailable(key, 'the pod is not scheduled to a node yet') });
        if (!realNodes.has(node)) {
          return emit({ intervalMs, pod: unavailable(key, simulatedPodReason) });
        }
        try {
          const summary = await summaryOf(node);
          const stats = summary?.pods.find((p) => p.podRef.uid === pod.metadata?.uid);
          if (!stats?.containers.length) {
            return emit({ intervalMs, pod: unavailable(key, 'no running containers on its node yet') });
          }
          const series = seriesOf(podSeries, key);
          series.add({
            t: Math.max(...stats.containers.map((c) => Date.parse(c.cpu.time))),
            cpuNanoSeconds: stats.containers.reduce((n, c) => n + c.cpu.usageCoreNanoSeconds, 0),
            memoryBytes: stats.containers.reduce((n, c) => n + c.memory.workingSetBytes, 0),
          });
          emit({ intervalMs, pod: { name: key, available: true, samples: series.list() } });
        } catch (err) {
          emit({ intervalMs, pod: unavailable(key, (err as Error).message) });
        }
      }),
    );
    const keys = new Set(watched.map(([, a]) => `${a.namespace}/${a.name}`));
    for (const key of podSeries.keys()) if (!keys.has(key)) podSeries.delete(key);
  };

  const sample = async () => {
    const ctx = options.cluster.controllerContext?.();
    const status = options.cluster.current();
    if (!ctx || status.state !== 'running') {
      const reason = `Kubernetes is not running (${status.message})`;
      for (const emit of nodeWatchers) emit({ intervalMs, nodes: [] });
      for (const [emit, args] of podWatchers)
        emit({ intervalMs, pod: unavailable(`${args.namespace}/${args.name}`, reason) });
      return;
    }
    const nodeNames = (await ctx.client.resource(resources.nodes).list()).items
      .map((n) => n.metadata?.name ?? '')
      .sort();
    const readings = await options.readNodes().catch((err: unknown) => {
      options.log.debug('node stats failed', { error: (err as Error).message });
      return new Map();
    });
    if (nodeWatchers.size > 0) await sampleNodes(nodeNames, readings);
    if (podWatchers.size > 0) {
      const pods = await Promise.all(
        [...podWatchers.values()].map((a) => ctx.client.resource(resources.pods).get(a.namespace, a.name)),
      );
      await samplePods(pods, new Set(readings.keys()));
    }
  };

  const tick = () => {
    // A slow engine never stacks rounds: the next one waits for this one.
    if (sampling) return;
    sampling = true;
    void sample()
      .catch((err: unknown) => options.log.warn('usage sampling failed', { error: (err as Error).message }))
      .finally(() => {
        sampling = false;
      });
  };
  const watchersChanged = () => {
    const watched = nodeWatchers.size + podWatchers.size > 0;
    if (watched && !timer) {
      timer = setInterval(tick, intervalMs);
      tick();
    } else if (!watched && timer) {
      clearInterval(timer);
      timer = undefined;
      nodeSeries.clear();
      podSeries.clear();
    }
  };

  const nodes: AppApiHandlers['topics']['usage.nodes'] = (_args, emit) => {
    nodeWatchers.add(emit);
    watchersChanged();
    return () => {
      nodeWatchers.delete(emit);
      watchersChanged();
    };
  };
  const pod: AppApiHandlers['topics']['usage.pod'] = (args, emit) => {
    podWatchers.set(emit, args);
    watchersChanged();
    return () => {
      podWatchers.delete(emit);
      watchersChanged();
    };
  };
  return { nodes, pod };
}
