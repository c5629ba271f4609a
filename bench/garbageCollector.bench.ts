// Garbage collector benchmark on the in-process API (memory store by default): how long the owner
// graph takes to build over 10,000 pods, how fast Background deletion collects the pods of deleted
// ReplicaSets, and how long Orphan and Foreground deletion of a 1,000-pod owner take.
// Run: npx tsx bench/garbageCollector.bench.ts [--pods 10000] [--owners 10] [--store memory|sqlite]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { V1ReplicaSet } from '@kubernetes/client-node';
import { garbageCollectorController } from '../cluster/controllers/garbageCollector/garbageCollector';
import {
  createControllerContext,
  startControllerManager,
} from '../cluster/controllers/runtime/controllerManager';
import { controllerRef } from '../cluster/controllers/runtime/ownerReferences';
import { resources } from '../cluster/controllers/runtime/resources';
import { startControllerHarness } from '../cluster/controllers/testing/controllerHarness';
import { nullLogger } from '../cluster/log';
import { openStore } from '../cluster/store/openStore';
import { pool } from './support/stats';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '10000' },
    owners: { type: 'string', default: '10' },
    store: { type: 'string', default: 'memory' },
  },
});
const podCount = Number(values.pods);
const ownerCount = Number(values.owners);
const dir = mkdtempSync(join(tmpdir(), 'kubedesk-bench-gc-'));
const store = await openStore(
  values.store === 'sqlite' ? { kind: 'sqlite', path: join(dir, 'state.db') } : { kind: 'memory' },
);
const harness = await startControllerHarness([], { store });
const client = harness.ctx.client;
const replicaSets = client.resource(resources.replicaSets);
const pods = client.resource(resources.pods);

async function owner(name: string, replicas: number): Promise<V1ReplicaSet> {
  const rs = await replicaSets.create({
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    },
  });
  await pool(replicas, 32, (i) =>
    pods
      .create({
        metadata: {
          name: `${name}-${i}`,
          namespace: 'default',
          labels: { app: name },
          ownerReferences: [controllerRef(rs, 'apps/v1', 'ReplicaSet')],
        },
        spec: { containers: [{ name: 'c', image: 'x' }] },
      })
      .then(() => undefined),
  );
  return rs;
}

const perOwner = Math.floor(podCount / ownerCount);
for (let i = 0; i < ownerCount; i++) await owner(`rs-${i}`, perOwner);

const rssBefore = process.memoryUsage().rss;
const ctx = createControllerContext(harness.rest, { log: nullLogger });
const start = performance.now();
const manager = await startControllerManager(ctx, [garbageCollectorController]);
const graphMs = performance.now() - start;
const podCache = ctx.informers.for(resources.pods);
const rssMiB = (process.memoryUsage().rss - rssBefore) / 2 ** 20;

async function until(check: () => boolean): Promise<number> {
  const began = performance.now();
  while (!check()) await new Promise((r) => setTimeout(r, 5));
  return performance.now() - began;
}
const remaining = () => podCache.list().length;

await replicaSets.delete('default', 'rs-0', { propagationPolicy: 'Background' });
const oneOwnerMs = await until(() => remaining() === podCount - perOwner - (podCount % ownerCount));

await pool(ownerCount - 1, 8, (i) => replicaSets.delete('default', `rs-${i + 1}`).then(() => undefined));
const restMs = await until(() => remaining() === 0);

/** Time from a delete with `policy` until the owner is gone. */
async function deleteOwner(name: string, policy: 'Orphan' | 'Foreground'): Promise<number> {
  const began = performance.now();
  await replicaSets.delete('default', name, { propagationPolicy: policy });
  while (await replicaSets.get('default', name)) await new Promise((r) => setTimeout(r, 5));
  return performance.now() - began;
}

await owner('orphaned', 1000);
await until(() => remaining() === 1000);
const orphanMs = await deleteOwner('orphaned', 'Orphan');
await pool(1000, 32, (i) => pods.delete('default', `orphaned-${i}`).then(() => undefined));

await until(() => remaining() === 0);
await owner('foreground', 1000);
await until(() => remaining() === 1000);
const foregroundMs = await deleteOwner('foreground', 'Foreground');

console.log(`store: ${values.store}, ${podCount} pods in ${ownerCount} ReplicaSets`);
console.log(
  `graph built (informers listed, graph filled): ${graphMs.toFixed(0)} ms, +${rssMiB.toFixed(0)} MiB RSS`,
);
console.log(
  `background, one owner (${perOwner} pods): ${oneOwnerMs.toFixed(0)} ms (${((perOwner / oneOwnerMs) * 1000).toFixed(0)} pods/s)`,
);
const restPods = podCount - perOwner;
console.log(
  `background, ${ownerCount - 1} owners at once (${restPods} pods): ${restMs.toFixed(0)} ms (${((restPods / restMs) * 1000).toFixed(0)} pods/s)`,
);
console.log(`orphan, one owner of 1000 pods: ${orphanMs.toFixed(0)} ms until the owner is gone`);
console.log(`foreground, one owner of 1000 pods: ${foregroundMs.toFixed(0)} ms until the owner is gone`);

manager.stop();
await harness.stop();
rmSync(dir, { recursive: true, force: true });
