// Scheduler benchmark: the scheduler alone on the controller harness (memory store, no HTTP) with
// 1,000 Ready Node objects; 10,000 pods are created as fast as the API allows. Prints scheduling
// throughput (pods bound per second, from the first create to the last binding) and the latency of
// each pod from its create call to the informer seeing it bound (mostly queueing, in a flood).
// Then 1,000 more pods at a steady rate below capacity show the latency of one decision.
// Target ≥ 1,000 pods/s.
// Run: npx tsx bench/scheduler.bench.ts [--nodes 1000] [--pods 10000] [--concurrency 32] [--paced-rate 200]
import { parseArgs } from 'node:util';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { timestamp } from '../cluster/api/rest/restContext';
import { resources } from '../cluster/controllers/runtime/resources';
import { startControllerHarness } from '../cluster/controllers/testing/controllerHarness';
import { scheduler } from '../cluster/scheduler/scheduler';
import { pool, summary, timed } from './support/stats';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000' },
    pods: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    'paced-rate': { type: 'string', default: '200' },
    'paced-pods': { type: 'string', default: '1000' },
  },
});
const nodeCount = Number(values.nodes);
const podCount = Number(values.pods);

const node = (i: number): V1Node => ({
  metadata: {
    name: `node-${i}`,
    labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${i % 3}` },
  },
  status: {
    capacity: { cpu: '32', memory: '128Gi', pods: '110' },
    allocatable: { cpu: '32', memory: '128Gi', pods: '110' },
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'KubeletReady',
        message: 'kubelet is posting ready status',
        lastHeartbeatTime: timestamp(new Date()) as unknown as Date,
        lastTransitionTime: timestamp(new Date()) as unknown as Date,
      },
    ],
  },
});

const pod = (i: number): V1Pod => ({
  metadata: { name: `bench-${i}`, namespace: 'default', labels: { app: 'bench', shard: String(i % 10) } },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'registry.local/bench:1',
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
      },
    ],
  },
});

const harness = await startControllerHarness([scheduler]);
try {
  const { ctx } = harness;
  const [, nodesMs] = await timed(() =>
    pool(nodeCount, 16, async (i) => {
      await ctx.client.resource(resources.nodes).create(node(i + 1));
    }),
  );
  console.log(`${nodeCount} Ready nodes created in ${(nodesMs / 1000).toFixed(1)} s`);

  const createdAt = new Map<string, number>();
  let latencies: number[] = [];
  let lastBoundAt = 0;
  let expected = podCount;
  let allBound: () => void = () => {};
  const boundAll = () => new Promise<void>((resolve) => (allBound = resolve));
  let done = boundAll();
  ctx.informers.for(resources.pods).addHandlers({
    onUpdate(old, next) {
      if (old.spec?.nodeName || !next.spec?.nodeName) return;
      const started = createdAt.get(next.metadata?.name ?? '');
      if (started === undefined) return;
      lastBoundAt = performance.now();
      latencies.push(lastBoundAt - started);
      if (latencies.length === expected) allBound();
    },
  });

  const pods = ctx.client.resource(resources.pods);
  const create = async (i: number) => {
    const body = pod(i);
    createdAt.set(body.metadata?.name ?? '', performance.now());
    await pods.create(body);
  };
  const cpuBefore = process.cpuUsage();
  const firstCreate = performance.now();
  const [, createMs] = await timed(() => pool(podCount, Number(values.concurrency), create));
  const timeout = setTimeout(() => allBound(), 120_000);
  await done;
  clearTimeout(timeout);
  const totalMs = lastBoundAt - firstCreate;
  console.log(
    `created ${podCount} pods in ${(createMs / 1000).toFixed(2)} s (${(podCount / (createMs / 1000)).toFixed(0)} pods/s offered)`,
  );
  console.log(
    `bound ${latencies.length}/${podCount} pods in ${(totalMs / 1000).toFixed(2)} s: ${(latencies.length / (totalMs / 1000)).toFixed(0)} pods/s (target ≥ 1000)`,
  );
  console.log(`scheduling latency create → bound: ${summary(latencies)}`);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  // On a shared machine wall time stretches; CPU per pod shows what the work itself costs.
  console.log(
    `process CPU ${(cpuMs / 1000).toFixed(2)} s over ${(totalMs / 1000).toFixed(2)} s wall (${((cpuMs / totalMs) * 100).toFixed(0)}% of one core), ${((cpuMs / podCount) * 1000).toFixed(0)} µs per pod (create + schedule + bind + event)`,
  );
  const perNode = new Map<string, number>();
  for (const p of ctx.informers.for(resources.pods).list('default')) {
    const name = p.spec?.nodeName;
    if (name) perNode.set(name, (perNode.get(name) ?? 0) + 1);
  }
  const counts = [...perNode.values()];
  console.log(
    `pods per node: min ${Math.min(...counts)}, max ${Math.max(...counts)} over ${perNode.size} nodes`,
  );

  const pacedPods = Number(values['paced-pods']);
  const rate = Number(values['paced-rate']);
  latencies = [];
  expected = pacedPods;
  done = boundAll();
  const pacedStart = performance.now();
  for (let i = 0; i < pacedPods; i++) {
    const wait = pacedStart + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    void create(podCount + i);
  }
  const pacedTimeout = setTimeout(() => allBound(), 60_000);
  await done;
  clearTimeout(pacedTimeout);
  console.log(
    `paced at ${rate} pods/s (${pacedPods} more pods): latency create → bound ${summary(latencies)}`,
  );
} finally {
  await harness.stop();
}
