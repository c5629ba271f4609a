// Cluster start benchmark, through the same ClusterManager as `kubedesk start` and the app: time
// from start until every node's kubelet reports its Node Ready, cold (no node image, so its offline
// build is included) and warm (image present), for 1 and 3 nodes; then memory per idle node (the
// node container: its dockerd, containerd and agent), stop time, and a restart of the stopped nodes.
// Run: npx tsx bench/nodeStart.bench.ts [--skip-cold]
// Target: 3 nodes Ready ≤ 10 s warm. The machine is shared: compare runs, not single figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { nullLogger } from '../cluster/log';
import { ensureAgentBundle } from '../cluster/provisioner/agentBundle';
import { deleteCluster } from '../cluster/provisioner/cluster';
import { clusterNameFor } from '../cluster/provisioner/clusterName';
import { nodeImageRecipe } from '../cluster/provisioner/nodeImage';
import { createDockerProvider } from '../cluster/provisioner/providers/dockerProvider';
import { createClusterManager } from '../main/host/clusterManager';
import { openConfSettings } from '../main/host/settingsStore';
import { nodeMemoryMiB } from './support/nodeMemory';
import { timed } from './support/stats';

const { values } = parseArgs({ options: { 'skip-cold': { type: 'boolean', default: false } } });
const provider = createDockerProvider();
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function removeNodeImages() {
  for (const source of ['online', 'offline'] as const) {
    const { tag } = await nodeImageRecipe(source);
    if (await provider.inspectImage(tag)) await provider.docker.getImage(tag).remove({ force: true });
  }
}

async function run(kind: 'cold' | 'warm', nodes: number) {
  const dataDir = mkdtempSync(join(tmpdir(), `kubedesk-bench-${kind}-${nodes}-`));
  const cluster = clusterNameFor(dataDir);
  const manager = createClusterManager({
    dataDir,
    log: nullLogger,
    settings: openConfSettings(dataDir),
    userKubeconfigPath: join(dataDir, 'user-kubeconfig'),
  });
  if (kind === 'cold') await removeNodeImages();
  let started = performance.now();
  const ready: string[] = [];
  let imageMs = 0;
  const stopListening = manager.onChange((status) => {
    const at = seconds(performance.now() - started);
    const node = /^wait for (\S+) to be Ready: done$/.exec(status.message)?.[1];
    if (node) ready.push(`${node.slice(cluster.length + 1)} ${at}`);
    if (status.message === 'prepare node image: done') imageMs = performance.now() - started;
  });
  try {
    const [, startMs] = await timed(() => manager.start({ store: { kind: 'sqlite' }, apiPort: 0, nodes }));
    const { message } = manager.current();
    const mode = /\((\w+) containers\)/.exec(message)?.[1];
    console.log(
      `${kind} ${nodes} node(s): ${seconds(startMs)} until all Ready${kind === 'cold' ? ` (node image built by ${seconds(imageMs)})` : ''}; ${mode}; per node: ${ready.join(', ')}`,
    );
    if (kind === 'warm') {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const memory = await nodeMemoryMiB(provider, cluster);
      console.log(`  idle memory per node: ${memory.map((m) => `${m.mib.toFixed(0)} MiB`).join(', ')}`);
      const [, stopMs] = await timed(() => manager.stop());
      ready.length = 0;
      started = performance.now();
      const [, restartMs] = await timed(() =>
        manager.start({ store: { kind: 'sqlite' }, apiPort: 0, nodes }),
      );
      console.log(`  stop: ${seconds(stopMs)}; start again (same nodes): ${seconds(restartMs)}`);
    }
  } finally {
    stopListening();
    await manager.stop();
    await deleteCluster(cluster, { provider });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Built once before timing: the agent bundle is part of the checkout, not of a cluster start.
await ensureAgentBundle();
if (!values['skip-cold']) {
  await run('cold', 1);
  await run('cold', 3);
}
await run('warm', 1);
await run('warm', 3);
