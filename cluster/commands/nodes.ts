import type { Command } from 'commander';
import { addNode, loadImage, removeNode } from '../provisioner/cluster';
import { joinNodes } from '../provisioner/clusterNodes';
import { deleteNodeObject, drainNode } from '../provisioner/drainNode';
import { globalOptions } from './globalOptions';
import { printProgress, requireRunningCluster } from './runningCluster';

// `kubedesk node add|remove` and `kubedesk image load`: changes to the nodes of a running cluster.

const write = (text: string) => process.stdout.write(`${text}\n`);

export function registerNodeCommands(program: Command): void {
  const node = program.command('node').description('add or remove real nodes of the running cluster');

  node
    .command('add')
    .description('add a node (the lowest free index) and wait until it is Ready')
    .action(async (_opts: unknown, command: Command) => {
      const cluster = requireRunningCluster(globalOptions(command).dataDir);
      const options = { provider: cluster.provider, onProgress: printProgress(write) };
      const added = await addNode(cluster.name, options);
      await joinNodes([added], await cluster.access(), options);
      write(`node ${added.name} is Ready (${added.mode} container, pod CIDR ${added.podCidr})`);
    });

  node
    .command('remove <name>')
    .description('cordon the node, delete its pods, then remove its container, volume and Node object')
    .option(
      '--timeout <seconds>',
      'how long pods may take to stop before they are removed at once',
      Number,
      30,
    )
    .action(async (name: string, opts: { timeout: number }, command: Command) => {
      const cluster = requireRunningCluster(globalOptions(command).dataDir);
      const handle = (await cluster.provider.listNodes(cluster.name)).find((n) => n.name === name);
      if (!handle) throw new Error(`node ${name} is not part of cluster ${cluster.name}`);
      const pods = await drainNode(cluster.core, name, { timeoutMs: opts.timeout * 1000 });
      write(`node ${name} drained (${pods} pod${pods === 1 ? '' : 's'} deleted)`);
      await removeNode(cluster.name, name, { provider: cluster.provider, onProgress: printProgress(write) });
      await deleteNodeObject(cluster.core, name);
      write(`node ${name} removed`);
    });

  program
    .command('image')
    .description('images of the running cluster')
    .command('load <images...>')
    .description("copy images from this computer's Docker engine into every running node")
    .action(async (images: string[], _opts: unknown, command: Command) => {
      const cluster = requireRunningCluster(globalOptions(command).dataDir);
      for (const image of images) {
        const results = await loadImage(cluster.name, image, {
          provider: cluster.provider,
          onProgress: printProgress(write),
        });
        for (const [nodeName, result] of Object.entries(results)) {
          const size = `${(result.bytes / (1024 * 1024)).toFixed(1)} MiB`;
          write(`${image} → ${nodeName}: ${result.loaded ? `loaded (${size})` : 'already present'}`);
        }
      }
    });
}
