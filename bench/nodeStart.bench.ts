// Node start benchmark: cluster start time cold (no node image, so the build is included) and warm
// (image present) for 1 and 3 nodes, measured until each node's own dockerd answers; stop time; and
// memory per idle node. Run: npx tsx bench/nodeStart.bench.ts [--skip-cold]
// Target: 3 nodes ready ≤ 10 s warm. Cold builds the offline image (debootstrap) once per cold run.
import { parseArgs } from 'node:util';
import { createCluster, deleteCluster, stopCluster } from '../cluster/provisioner/cluster';
import { nodeImageRecipe } from '../cluster/provisioner/nodeImage';
import { createDockerProvider } from '../cluster/provisioner/providers/dockerProvider';
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

async function idleMemoryMiB(ids: string[]): Promise<number[]> {
  return Promise.all(
    ids.map(async (id) => {
      const stats = await provider.docker.getContainer(id).stats({ stream: false });
      // `docker stats` shows usage minus page cache (cgroup v1 `total_inactive_file`, v2 `inactive_file`).
      const cache =
        stats.memory_stats.stats?.total_inactive_file ?? stats.memory_stats.stats?.inactive_file ?? 0;
      return (stats.memory_stats.usage - cache) / (1024 * 1024);
    }),
  );
}

async function run(kind: 'cold' | 'warm', nodes: number) {
  const name = `kdbench-${kind}-${nodes}-${Math.random().toString(36).slice(2, 6)}`;
  if (kind === 'cold') await removeNodeImages();
  const started = performance.now();
  const ready: string[] = [];
  let buildMs = 0;
  try {
    const [state, totalMs] = await timed(() =>
      createCluster(
        { name, nodes },
        {
          provider,
          onProgress: (p) => {
            const at = performance.now() - started;
            if (p.state === 'done' && p.step === 'prepare node image') buildMs = p.elapsedMs ?? 0;
            if (p.state === 'done' && p.step.startsWith('create node '))
              ready.push(`${p.step.slice(12)} ${seconds(at)}`);
          },
        },
      ),
    );
    console.log(
      `${kind} ${nodes} node(s): ${seconds(totalMs)} until all ready (image ${seconds(buildMs)}; ${state.securityMode}); per node: ${ready.join(', ')}`,
    );
    if (kind === 'warm') {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const memory = await idleMemoryMiB(state.nodes.map((n) => n.id));
      console.log(`  idle memory per node: ${memory.map((m) => `${m.toFixed(0)} MiB`).join(', ')}`);
      const [, stopMs] = await timed(() => stopCluster(name, { provider }));
      console.log(`  stop: ${seconds(stopMs)}`);
    }
  } finally {
    await deleteCluster(name, { provider });
  }
}

if (!values['skip-cold']) {
  await run('cold', 1);
  await run('cold', 3);
}
await run('warm', 1);
await run('warm', 3);
