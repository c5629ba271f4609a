// Pod startup benchmark on real nodes: a 3-node cluster through the same ClusterManager as
// `kubedesk start`, the busybox test image already on every node, then 30 pods created one after
// another and 30 created at once. Each pod's times come from one watch (when this process received
// the events): created → bound → Running → Ready, so the kubelet's share (bound → Ready) shows apart
// from the scheduler's. Then memory per node with the pods running.
// Run: npx tsx bench/podStartup.bench.ts [--pods 30] [--nodes 3]
// Targets (reported, not asserted): p50 ≤ 1 s, p99 ≤ 2 s. The machine is shared: compare runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { V1Pod } from '@kubernetes/client-node';
import { nullLogger } from '../cluster/log';
import { ensureAgentBundle } from '../cluster/provisioner/agentBundle';
import { deleteCluster, loadImage } from '../cluster/provisioner/cluster';
import { clusterNameFor } from '../cluster/provisioner/clusterName';
import { createDockerProvider } from '../cluster/provisioner/providers/dockerProvider';
import { importBusyboxImage } from '../cluster/provisioner/testImages';
import { createClusterManager } from '../main/host/clusterManager';
import { openConfSettings } from '../main/host/settingsStore';
import { kubeClientFromKubeconfig } from './support/kubeClient';
import { nodeMemoryMiB } from './support/nodeMemory';
import { percentile } from './support/stats';

const { values } = parseArgs({
  options: { pods: { type: 'string', default: '30' }, nodes: { type: 'string', default: '3' } },
});
const podCount = Number(values.pods);
const nodeCount = Number(values.nodes);
const provider = createDockerProvider();
const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-bench-pods-'));
const cluster = clusterNameFor(dataDir);
const image = `kubedesk-bench-busybox:${cluster}`;

interface Timeline {
  sent: number;
  created?: number;
  bound?: number;
  running?: number;
  ready?: number;
}

const podManifest = (name: string): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { bench: 'startup' } },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'main', image, imagePullPolicy: 'IfNotPresent', command: ['sleep', '100000'] }],
  },
});

const isReady = (pod: V1Pod) =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

function report(label: string, timelines: Timeline[]) {
  const span = (from: keyof Timeline, to: keyof Timeline) =>
    timelines.flatMap((t) =>
      t[from] !== undefined && t[to] !== undefined ? [(t[to] as number) - (t[from] as number)] : [],
    );
  const line = (name: string, samples: number[]) =>
    `  ${name.padEnd(26)} p50 ${(percentile(samples, 50) / 1000).toFixed(2)} s, p99 ${(percentile(samples, 99) / 1000).toFixed(2)} s (n=${samples.length})`;
  console.log(label);
  console.log(line('created → Running', span('created', 'running')));
  console.log(line('created → Ready', span('created', 'ready')));
  console.log(line('  created → bound', span('created', 'bound')));
  console.log(line('  bound → Running (kubelet)', span('bound', 'running')));
}

const manager = createClusterManager({
  dataDir,
  log: nullLogger,
  settings: openConfSettings(dataDir),
  userKubeconfigPath: join(dataDir, 'user-kubeconfig'),
});

try {
  await Promise.all([ensureAgentBundle(), importBusyboxImage(provider, image)]);
  const started = performance.now();
  await manager.start({ store: { kind: 'sqlite' }, apiPort: 0, nodes: nodeCount });
  console.log(`${nodeCount} nodes Ready in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  await loadImage(cluster, image, { provider });
  const client = kubeClientFromKubeconfig(manager.kubeconfigPath() ?? '');
  const timelines = new Map<string, Timeline>();
  let settle: (() => void) | undefined;
  const watch = client.stream(
    '/api/v1/namespaces/default/pods?watch=true&labelSelector=bench%3Dstartup',
    (line) => {
      const at = performance.now();
      const { object: pod } = JSON.parse(line) as { type: string; object: V1Pod };
      const t = timelines.get(pod.metadata?.name ?? '');
      if (!t) return;
      t.created ??= at;
      if (pod.spec?.nodeName) t.bound ??= at;
      if (pod.status?.phase === 'Running') t.running ??= at;
      if (isReady(pod)) t.ready ??= at;
      if (t.ready !== undefined) settle?.();
    },
  );
  const waitReady = (names: string[]) =>
    new Promise<void>((resolve) => {
      settle = () => {
        if (names.every((n) => timelines.get(n)?.ready !== undefined)) resolve();
      };
      settle();
    });
  const create = async (name: string) => {
    timelines.set(name, { sent: performance.now() });
    const result = await client.call('POST', '/api/v1/namespaces/default/pods', podManifest(name));
    if (result.status !== 201) throw new Error(`creating ${name}: ${result.status} ${result.text}`);
  };
  const removeAll = async () => {
    await client.call('DELETE', '/api/v1/namespaces/default/pods?labelSelector=bench%3Dstartup');
    for (;;) {
      const { text } = await client.call(
        'GET',
        '/api/v1/namespaces/default/pods?labelSelector=bench%3Dstartup',
      );
      if ((JSON.parse(text) as { items: unknown[] }).items.length === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const sequential = Array.from({ length: podCount }, (_, i) => `seq-${i}`);
  for (const name of sequential) {
    await create(name);
    await waitReady([name]);
  }
  report(
    `${podCount} pods one after another:`,
    sequential.map((n) => timelines.get(n) as Timeline),
  );
  await removeAll();

  const burst = Array.from({ length: podCount }, (_, i) => `burst-${i}`);
  await Promise.all(burst.map(create));
  await waitReady(burst);
  report(
    `${podCount} pods created at once:`,
    burst.map((n) => timelines.get(n) as Timeline),
  );
  const memory = await nodeMemoryMiB(provider, cluster);
  console.log(
    `memory per node with ${Math.round(podCount / nodeCount)} pods each: ${memory.map((m) => `${m.node.slice(cluster.length + 1)} ${m.mib.toFixed(0)} MiB`).join(', ')}`,
  );
  watch.close();
} finally {
  await manager.stop();
  await deleteCluster(cluster, { provider });
  await provider.docker
    .getImage(image)
    .remove({ force: true })
    .catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}
