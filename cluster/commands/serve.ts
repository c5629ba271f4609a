import type { Command } from 'commander';
import { dataPaths } from '../dataDir';
import { consoleSink, createLogger, fileSink } from '../log';
import {
  addClusterOptions,
  type ClusterFlags,
  clusterStartOptions,
  parseCount,
  parseNodeCount,
  parsePort,
} from './clusterOptions';

type NodeOverrides = { nodes?: number; simulatedNodes?: number };

import { globalOptions } from './globalOptions';

async function runUntilSignalled(
  command: Command,
  options: { uiPort: number; flags?: ClusterFlags; overrides?: NodeOverrides; quiet: boolean },
) {
  const { dataDir } = globalOptions(command);
  // Loaded here, not at the top, so that quick commands don't pay for the whole host.
  const { runHost } = await import('../../main/host/runHost');
  const log = createLogger({
    sinks: [fileSink(dataPaths(dataDir).hostLog), ...(options.quiet ? [] : [consoleSink()])],
  });
  const host = await runHost({
    dataDir,
    log,
    uiPort: options.uiPort,
    cluster: options.flags ? clusterStartOptions(options.flags) : undefined,
    ...(options.overrides ? { clusterOverrides: options.overrides } : {}),
  });
  process.stdout.write(`Kubedesk is running at ${host.ui.url}\n`);
  const stop = () => void host.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the headless host: the Kubedesk UI served to your browser on 127.0.0.1')
    .option('-p, --port <port>', 'port for the UI (0 picks a free one)', parsePort, 0)
    .option('--nodes <count>', 'real nodes to start (default: the Nodes setting)', parseNodeCount)
    .option('--simulated-nodes <count>', 'simulated nodes to run inside the control plane', parseCount)
    .action((opts: { port: number } & NodeOverrides, command: Command) => {
      const overrides: NodeOverrides = {};
      if (opts.nodes !== undefined) overrides.nodes = opts.nodes;
      if (opts.simulatedNodes !== undefined) overrides.simulatedNodes = opts.simulatedNodes;
      return runUntilSignalled(command, { uiPort: opts.port, overrides, quiet: false });
    });

  // What `kubedesk start` runs in the background; not meant to be typed.
  addClusterOptions(program.command('host', { hidden: true }))
    .description('run the host process of `kubedesk start`')
    .action((flags: ClusterFlags, command: Command) =>
      runUntilSignalled(command, { uiPort: 0, flags, quiet: true }),
    );
}
