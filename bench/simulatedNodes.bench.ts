// Simulated-nodes benchmark: a control plane in this process with the built-in controllers and
// 1,000 simulated nodes. Prints registration time, memory and CPU while idle (leases renewing),
// then the time for 10,000 pods bound across the nodes to be Running, and memory and CPU after.
// Run: npx tsx bench/simulatedNodes.bench.ts [--nodes 1000] [--pods 10000] [--idle-s 30] [--store sqlite|memory]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { V1Pod } from '@kubernetes/client-node';
import { resources } from '../cluster/controllers/runtime/resources';
import { startControlPlane } from '../cluster/controlPlane';
import { openStore } from '../cluster/store/openStore';
import { pool, timed } from './support/stats';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000' },
    pods: { type: 'string', default: '10000' },
    'idle-s': { type: 'string', default: '30' },
    store: { type: 'string', default: 'sqlite' },
  },
});
const nodeCount = Number(values.nodes);
const podCount = Number(values.pods);
const idleMs = Number(values['idle-s']) * 1000;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
function memory(): string {
  global.gc?.();
  const m = process.memoryUsage();
  return `RSS ${mib(m.rss)}, heap used ${mib(m.heapUsed)}`;
}

/** Share of one core this process used over `ms` of doing nothing but what runs by itself. */
async function idleCpu(ms: number): Promise<string> {
  const before = process.cpuUsage();
  const start = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const used = process.cpuUsage(before);
  const wall = performance.now() - start;
  return `${(((used.user + used.system) / 1000 / wall) * 100).toFixed(1)}% of one core over ${(wall / 1000).toFixed(0)} s`;
}

const dir = mkdtempSync(join(tmpdir(), 'kubedesk-bench-sim-'));
const store = await openStore(
  values.store === 'memory' ? { kind: 'memory' } : { kind: 'sqlite', path: join(dir, 'state.db') },
);
console.log(`store ${values.store}; before the control plane: ${memory()}`);
const [plane, startMs] = await timed(() =>
  startControlPlane({ dataDir: join(dir, 'data'), store, port: 0, simulatedNodes: nodeCount }),
);
try {
  console.log(`control plane + ${nodeCount} simulated nodes Ready in ${(startMs / 1000).toFixed(1)} s`);
  console.log(`idle with ${nodeCount} nodes: ${memory()}`);
  console.log(`idle with ${nodeCount} nodes: CPU ${await idleCpu(idleMs)}`);

  const pods = plane.controllerContext.client.resource(resources.pods);
  const podInformer = plane.controllerContext.informers.for(resources.pods);
  const running = () => podInformer.list('default').filter((p) => p.status?.phase === 'Running').length;
  const pod = (i: number): V1Pod => ({
    metadata: { name: `bench-${i}`, namespace: 'default' },
    spec: {
      nodeName: `sim-node-${(i % nodeCount) + 1}`,
      containers: [{ name: 'app', image: 'registry.local/bench:1' }],
    },
  });
  let createdMs = 0;
  const [, allRunningMs] = await timed(async () => {
    [, createdMs] = await timed(() =>
      pool(podCount, 16, async (i) => {
        await pods.create(pod(i));
      }),
    );
    while (running() < podCount) await new Promise((r) => setTimeout(r, 50));
  });
  console.log(
    `${podCount} pre-bound pods: created in ${(createdMs / 1000).toFixed(1)} s, all Running after ${(allRunningMs / 1000).toFixed(1)} s (${(podCount / (allRunningMs / 1000)).toFixed(0)} pods/s)`,
  );
  console.log(`with ${podCount} pods: ${memory()}`);
  console.log(`with ${podCount} pods: CPU ${await idleCpu(idleMs)}`);
} finally {
  await plane.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
