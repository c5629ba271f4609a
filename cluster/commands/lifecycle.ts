import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readHostState } from '../host/hostState';
import {
  addClusterOptions,
  type ClusterFlags,
  clusterFlagsToArgs,
  clusterStartOptions,
} from './clusterOptions';
import { globalOptions } from './globalOptions';
import { spawnHost, stopHost, waitForCluster } from './hostProcess';

// `kubedesk start|stop|status|kubeconfig`: the cluster of one installation, run by a background host.

const write = (text: string) => process.stdout.write(`${text}\n`);

export function registerLifecycleCommands(program: Command): void {
  addClusterOptions(program.command('start'))
    .description(
      'start the cluster (control plane and real nodes) in a background host process; returns once every node is Ready',
    )
    .option(
      '--timeout <seconds>',
      'how long to wait for the cluster (a first start builds the node image)',
      Number,
      600,
    )
    .action(async (flags: ClusterFlags & { timeout: number }, command: Command) => {
      const { dataDir } = globalOptions(command);
      clusterStartOptions(flags); // reject bad flags here, not in the background process
      const running = readHostState(dataDir);
      if (running) {
        if (running.cluster.state !== 'running') {
          throw new Error(
            `Kubedesk already runs for ${dataDir} (pid ${running.pid}) with the cluster ${running.cluster.state}`,
          );
        }
        write(`Kubedesk is already running: ${running.cluster.message}`);
        return;
      }
      const spawned = await spawnHost(dataDir, clusterFlagsToArgs(flags));
      let lastMessage = '';
      const state = await waitForCluster(dataDir, spawned, {
        timeoutMs: flags.timeout * 1000,
        // Each provisioning step (per node) as the host publishes it.
        onStatus: (cluster) => {
          if (cluster.state !== 'starting' || cluster.message === lastMessage) return;
          lastMessage = cluster.message;
          write(`  ${cluster.message}`);
        },
      });
      write(`Kubernetes is running: ${state.cluster.apiServerUrl}`);
      if (state.cluster.nodes > 0) write(state.cluster.message);
      if (state.kubeconfigPath)
        write(`kubeconfig: ${state.kubeconfigPath} (context "kubedesk" merged into your kubeconfig)`);
      if (state.uiUrl) write(`UI: ${state.uiUrl}`);
    });

  program
    .command('stop')
    .description('stop the cluster and its host process; all state is kept')
    .option('--timeout <seconds>', 'how long to wait before killing the host', Number, 30)
    .action(async (opts: { timeout: number }, command: Command) => {
      const { dataDir } = globalOptions(command);
      const running = readHostState(dataDir);
      if (!running) {
        write('Kubedesk is not running');
        return;
      }
      const how = await stopHost(running.pid, { timeoutMs: opts.timeout * 1000 });
      write(
        how === 'stopped' ? 'Kubedesk stopped' : `Kubedesk did not stop in ${opts.timeout} s and was killed`,
      );
    });

  program
    .command('status')
    .description('show whether the cluster runs, and where')
    .option('-o, --output <format>', 'text or json', 'text')
    .action((opts: { output: string }, command: Command) => {
      const { dataDir } = globalOptions(command);
      const state = readHostState(dataDir);
      if (opts.output === 'json') {
        write(
          JSON.stringify(
            state ?? { cluster: { state: 'stopped', message: 'Kubedesk is not running', nodes: 0 } },
            null,
            2,
          ),
        );
        return;
      }
      if (!state) {
        write('Kubernetes: stopped (Kubedesk is not running)');
        return;
      }
      write(`Kubernetes: ${state.cluster.state} (${state.cluster.message})`);
      if (state.cluster.apiServerUrl) write(`API server: ${state.cluster.apiServerUrl}`);
      write(`Nodes: ${state.cluster.nodes}`);
      if (state.uiUrl) write(`UI: ${state.uiUrl}`);
      write(`Host process: ${state.pid}, since ${state.startedAt}`);
    });

  program
    .command('kubeconfig')
    .description("print the path of this installation's kubeconfig")
    .action((_opts: unknown, command: Command) => {
      const { dataDir } = globalOptions(command);
      const path = join(dataDir, 'kubeconfig');
      if (!existsSync(path))
        throw new Error(`${path} does not exist yet: start the cluster first (kubedesk start)`);
      write(path);
    });
}
