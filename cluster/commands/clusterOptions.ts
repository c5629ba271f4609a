import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ClusterStartOptions } from '../../main/host/clusterManager';
import { maxNodeIndex } from '../provisioner/planNodes';

// The options that choose how a cluster starts, shared by `start` and the background `host`.

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535');
  }
  return port;
}

export function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return count;
}

/** Real nodes are limited by the addresses of the cluster network (one /24). */
export function parseNodeCount(value: string): number {
  const count = parseCount(value);
  if (count > maxNodeIndex) throw new InvalidArgumentError(`expected at most ${maxNodeIndex} nodes`);
  return count;
}

export const defaultNodeCount = 3;

export interface ClusterFlags {
  nodes: number;
  simulatedNodes: number;
  store: 'sqlite' | 'etcd';
  etcdEndpoints?: string;
  apiPort?: number;
}

export function addClusterOptions(command: Command): Command {
  return command
    .option(
      '--nodes <count>',
      'number of real nodes (Docker-in-Docker containers); 0 runs the control plane alone',
      parseNodeCount,
      defaultNodeCount,
    )
    .option(
      '--simulated-nodes <count>',
      'number of simulated nodes run inside the control plane (no containers; for trials and tests)',
      parseCount,
      0,
    )
    .addOption(
      new Option('--store <kind>', 'where the cluster state lives')
        .choices(['sqlite', 'etcd'])
        .default('sqlite'),
    )
    .option('--etcd-endpoints <urls>', 'comma-separated etcd client URLs (with --store etcd)')
    .option('--api-port <port>', 'API server port (default 6443, or a free port when taken)', parsePort);
}

function nodeChoices(flags: ClusterFlags): Omit<ClusterStartOptions, 'store'> {
  return { apiPort: flags.apiPort, nodes: flags.nodes, simulatedNodes: flags.simulatedNodes };
}

export function clusterStartOptions(flags: ClusterFlags): ClusterStartOptions {
  if (flags.store === 'etcd') {
    const endpoints = (flags.etcdEndpoints ?? '')
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean);
    if (endpoints.length === 0)
      throw new InvalidArgumentError('--store etcd needs --etcd-endpoints URL[,URL…]');
    return { store: { kind: 'etcd', endpoints }, ...nodeChoices(flags) };
  }
  return { store: { kind: 'sqlite' }, ...nodeChoices(flags) };
}

export function clusterFlagsToArgs(flags: ClusterFlags): string[] {
  return [
    '--nodes',
    String(flags.nodes),
    '--simulated-nodes',
    String(flags.simulatedNodes),
    '--store',
    flags.store,
    ...(flags.etcdEndpoints ? ['--etcd-endpoints', flags.etcdEndpoints] : []),
    ...(flags.apiPort !== undefined ? ['--api-port', String(flags.apiPort)] : []),
  ];
}
