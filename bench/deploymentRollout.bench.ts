// Deployment benchmark: a control plane in this process with the built-in controllers and
// simulated nodes. Prints the time for a 1,000-replica Deployment to have all its pods created,
// Running, and the rollout complete (what `kubectl rollout status` waits for), then the same for a
// rolling update of its image (default maxSurge/maxUnavailable 25%).
// Pods are placed by the control plane's scheduler, or with `--bind round-robin` by a trivial
// binder racing it (to see the controllers' cost without the scheduler's).
// Run: npx tsx bench/deploymentRollout.bench.ts [--replicas 1000] [--nodes 20] [--store sqlite|memory] [--bind scheduler|round-robin]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { V1Deployment } from '@kubernetes/client-node';
import { startRoundRobinBinder } from '../cluster/controllers/deployment/testing/roundRobinBinder';
import { resources } from '../cluster/controllers/runtime/resources';
import { startControlPlane } from '../cluster/controlPlane';
import { openStore } from '../cluster/store/openStore';

const { values } = parseArgs({
  options: {
    replicas: { type: 'string', default: '1000' },
    nodes: { type: 'string', default: '20' },
    store: { type: 'string', default: 'sqlite' },
    bind: { type: 'string', default: 'scheduler' },
  },
});
const replicas = Number(values.replicas);
const nodeCount = Number(values.nodes);

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const dir = mkdtempSync(join(tmpdir(), 'kubedesk-bench-deploy-'));
const store = await openStore(
  values.store === 'memory' ? { kind: 'memory' } : { kind: 'sqlite', path: join(dir, 'state.db') },
);
const plane = await startControlPlane({
  dataDir: join(dir, 'data'),
  store,
  port: 0,
  simulatedNodes: {
    count: nodeCount,
    capacity: { pods: String(Math.ceil((replicas * 2) / nodeCount) + 10) },
  },
});
const ctx = plane.controllerContext;
const binder =
  values.bind === 'round-robin'
    ? startRoundRobinBinder(ctx, () => plane.simulatedNodes?.names() ?? [])
    : undefined;
try {
  const deployments = ctx.client.resource(resources.deployments);
  const podCache = ctx.informers.for(resources.pods);
  const deploymentCache = ctx.informers.for(resources.deployments);
  const ofBench = () => podCache.list('default').filter((p) => p.metadata?.labels?.app === 'bench');
  const image = (pod: { spec?: { containers?: { image?: string }[] } }) => pod.spec?.containers?.[0]?.image;

  /** Resolves with the ms at which each milestone was first seen, polling the caches every 10 ms. */
  async function milestones(start: number, wantImage: string) {
    const seen: Record<'created' | 'running' | 'complete', number | undefined> = {
      created: undefined,
      running: undefined,
      complete: undefined,
    };
    for (;;) {
      const pods = ofBench().filter((p) => image(p) === wantImage && !p.metadata?.deletionTimestamp);
      const at = performance.now() - start;
      if (seen.created === undefined && pods.length >= replicas) seen.created = at;
      if (
        seen.running === undefined &&
        pods.filter((p) => p.status?.phase === 'Running').length >= replicas
      ) {
        seen.running = at;
      }
      const d = deploymentCache.get('default', 'bench');
      const s = d?.status ?? {};
      const done =
        (s.observedGeneration ?? 0) >= (d?.metadata?.generation ?? 1) &&
        s.updatedReplicas === replicas &&
        s.replicas === replicas &&
        s.availableReplicas === replicas;
      if (seen.complete === undefined && done) seen.complete = at;
      if (seen.created !== undefined && seen.running !== undefined && seen.complete !== undefined)
        return seen;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  const deployment: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bench', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'bench' } },
      template: {
        metadata: { labels: { app: 'bench' } },
        spec: { containers: [{ name: 'app', image: 'registry.local/bench:1' }] },
      },
    },
  };
  console.log(`store ${values.store}, ${nodeCount} simulated nodes, binding: ${values.bind}`);
  let start = performance.now();
  await deployments.create(deployment);
  const first = await milestones(start, 'registry.local/bench:1');
  console.log(
    `${replicas}-replica Deployment: pods created ${seconds(first.created ?? 0)}, all Running ${seconds(first.running ?? 0)}, rollout complete ${seconds(first.complete ?? 0)} (${(replicas / ((first.running ?? 1) / 1000)).toFixed(0)} pods/s to Running)`,
  );

  start = performance.now();
  await deployments.mutate('default', 'bench', (d) => {
    const container = d.spec?.template.spec?.containers[0];
    if (container) container.image = 'registry.local/bench:2';
    return d;
  });
  const second = await milestones(start, 'registry.local/bench:2');
  console.log(
    `rolling update of ${replicas} replicas (25% surge / 25% unavailable): new pods created ${seconds(second.created ?? 0)}, all Running ${seconds(second.running ?? 0)}, rollout complete ${seconds(second.complete ?? 0)}`,
  );
} finally {
  binder?.stop();
  await plane.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
