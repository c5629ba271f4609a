import { type Logger, nullLogger } from '../log';
import { ensureNodeImage } from './nodeImage';
import {
  type ClusterConfig,
  clusterNetworkName,
  defaultClusterName,
  networkCandidates,
  nextNodeIndex,
  planNode,
  validateClusterName,
  validateNodeCount,
} from './planNodes';
import { configurePodNetwork } from './podNetwork';
import type { NetworkInfo, NodeHandle, NodeProvider, NodeSecurityMode } from './providers/nodeProvider';
import { type SideloadResult, sideloadImage } from './sideloadImage';
import { type ProgressListener, runSteps, type Step, type StepContext } from './steps';
import { waitForNodeDockerd } from './waitForNode';

// Cluster operations as ordered steps over a NodeProvider: create, start, stop, delete, add and
// remove nodes. Nodes are found by their labels each time; nothing else records them.

export interface ProvisionerOptions {
  provider: NodeProvider;
  log?: Logger;
  onProgress?: ProgressListener;
  /** Leave what a failed operation created, for a person to inspect. */
  keepOnFailure?: boolean;
  signal?: AbortSignal;
  opId?: string;
  /** Returns the node image tag; default builds or reuses the cached one (ensureNodeImage). */
  nodeImage?: (ctx: StepContext) => Promise<string>;
  /**
   * `host.docker.internal` inside nodes: the cluster network's gateway (Linux engines, where the API
   * server listens on that address), or whatever the engine provides (Docker Desktop). Default by platform.
   */
  hostAlias?: 'network-gateway' | 'engine';
  readyTimeoutMs?: number;
  readyIntervalMs?: number;
}

export interface ClusterState {
  name: string;
  network: NetworkInfo;
  image: string;
  nodes: NodeHandle[];
  /** How the node containers run, or undefined with no nodes. */
  securityMode?: NodeSecurityMode;
}

/** Linux engines resolve `host-gateway` to the default bridge, so nodes get the cluster network's gateway. */
export const defaultHostAlias = (): 'network-gateway' | 'engine' =>
  process.platform === 'linux' ? 'network-gateway' : 'engine';

const clusterName = (name?: string) => validateClusterName(name ?? defaultClusterName);

const networkSpec = (cluster: string) => ({
  name: clusterNetworkName(cluster),
  cluster,
  candidateSubnets: networkCandidates(),
});

function defaults(options: ProvisionerOptions) {
  const { provider } = options;
  return {
    provider,
    log: options.log ?? nullLogger,
    nodeImage:
      options.nodeImage ??
      (async (ctx: StepContext) =>
        (await ensureNodeImage({ provider, report: ctx.report, signal: ctx.signal })).tag),
    hostAlias: options.hostAlias ?? defaultHostAlias(),
    waitReady: (node: NodeHandle) =>
      waitForNodeDockerd(provider, node, {
        timeoutMs: options.readyTimeoutMs,
        intervalMs: options.readyIntervalMs,
        signal: options.signal,
      }),
    run: (title: string, steps: Parameters<typeof runSteps>[0]) =>
      runSteps(steps, {
        title,
        opId: options.opId,
        onProgress: options.onProgress,
        keepOnFailure: options.keepOnFailure,
        signal: options.signal,
        log: options.log,
      }),
  };
}

const state = (name: string, network: NetworkInfo, image: string, nodes: NodeHandle[]): ClusterState => ({
  name,
  network,
  image,
  nodes: [...nodes].sort((a, b) => a.index - b.index),
  ...(nodes[0] ? { securityMode: nodes[0].mode } : {}),
});

/**
 * Creates the cluster network, or returns it when it exists. The control plane binds to its gateway
 * before any node starts, so agents can reach it as soon as they run.
 */
export async function ensureClusterNetwork(
  name: string | undefined,
  options: Pick<ProvisionerOptions, 'provider'>,
): Promise<NetworkInfo> {
  return options.provider.ensureNetwork(networkSpec(clusterName(name)));
}

/** Steps creating one node and waiting for its dockerd; on a later failure the node is removed. */
function createNodeStep(
  env: ReturnType<typeof defaults>,
  config: () => ClusterConfig,
  index: number,
  created: NodeHandle[],
  name: string,
): Step {
  return {
    title: `create node ${name}`,
    async run(ctx) {
      const node = await env.provider.createNode(planNode(config(), index));
      ctx.onCleanup(() => env.provider.removeNodes([node]));
      ctx.report({ detail: node.mode });
      await env.waitReady(node);
      created.push(node);
    },
  };
}

async function nodesOf(provider: NodeProvider, name: string): Promise<NodeHandle[]> {
  const nodes = await provider.listNodes(name);
  if (nodes.length === 0) throw new Error(`cluster ${name} has no nodes; create it first`);
  return nodes;
}

export async function createCluster(
  config: { name?: string; nodes: number },
  options: ProvisionerOptions,
): Promise<ClusterState> {
  const env = defaults(options);
  const name = clusterName(config.name);
  let network: NetworkInfo | undefined;
  let image = '';
  const created: NodeHandle[] = [];
  const plan = (): ClusterConfig => {
    if (!network) throw new Error('the cluster network is not ready');
    return {
      name,
      nodes: config.nodes,
      image,
      network,
      ...(env.hostAlias === 'network-gateway' ? { hostGatewayIp: network.gateway } : {}),
    };
  };
  validateNodeCount(config.nodes);
  const nodeSteps = Array.from({ length: config.nodes }, (_, i) =>
    createNodeStep(env, plan, i + 1, created, `${name}-node-${i + 1}`),
  );
  await env.run(`create cluster ${name}`, [
    {
      title: `check cluster ${name} does not exist`,
      async run() {
        if ((await env.provider.listNodes(name)).length > 0) {
          throw new Error(`cluster ${name} already exists; start or delete it`);
        }
      },
    },
    {
      title: `create network ${clusterNetworkName(name)}`,
      async run(ctx) {
        network = await env.provider.ensureNetwork(networkSpec(name));
        ctx.onCleanup(() => env.provider.removeNetwork(clusterNetworkName(name)));
      },
    },
    {
      title: 'prepare node image',
      async run(ctx) {
        image = await env.nodeImage(ctx);
      },
    },
    ...(nodeSteps.length > 0 ? [nodeSteps] : []),
    { title: 'configure pod network', run: () => configurePodNetwork(env.provider, created) },
  ]);
  if (!network) throw new Error('the cluster network is not ready');
  return state(name, network, image, created);
}

/** Starts the stopped nodes of a cluster (same containers, same volumes) and restores the pod network. */
export async function startCluster(
  name: string | undefined,
  options: ProvisionerOptions,
): Promise<ClusterState> {
  const env = defaults(options);
  const cluster = clusterName(name);
  const nodes = await nodesOf(env.provider, cluster);
  const network = await env.provider.ensureNetwork(networkSpec(cluster));
  const started: NodeHandle[] = [];
  await env.run(`start cluster ${cluster}`, [
    nodes.map((node) => ({
      title: `start node ${node.name}`,
      async run() {
        const handle = await env.provider.startNode(node);
        await env.waitReady(handle);
        started.push(handle);
      },
    })),
    // Routes and rules live in each node's network namespace, which a restart renews.
    { title: 'configure pod network', run: () => configurePodNetwork(env.provider, started) },
  ]);
  return state(cluster, network, nodes[0]?.image ?? '', started);
}

/** Stops every node; containers and volumes stay, so start brings back the same nodes and pods. */
export async function stopCluster(name: string | undefined, options: ProvisionerOptions): Promise<void> {
  const env = defaults(options);
  const cluster = clusterName(name);
  const nodes = await env.provider.listNodes(cluster);
  await env.run(`stop cluster ${cluster}`, [
    nodes.map((node) => ({ title: `stop node ${node.name}`, run: () => env.provider.stopNode(node) })),
  ]);
}

/** Removes everything of the cluster: node containers, their volumes, the network. */
export async function deleteCluster(name: string | undefined, options: ProvisionerOptions): Promise<void> {
  const env = defaults(options);
  const cluster = clusterName(name);
  await env.run(`delete cluster ${cluster}`, [
    {
      title: 'remove nodes',
      run: async () => env.provider.removeNodes(await env.provider.listNodes(cluster)),
    },
    { title: 'remove volumes', run: () => env.provider.removeVolumes(cluster) },
    {
      title: `remove network ${clusterNetworkName(cluster)}`,
      run: () => env.provider.removeNetwork(clusterNetworkName(cluster)),
    },
  ]);
}

/** Adds a node with the lowest free index, then updates every node's pod routes. */
export async function addNode(name: string | undefined, options: ProvisionerOptions): Promise<NodeHandle> {
  const env = defaults(options);
  const cluster = clusterName(name);
  const existing = await env.provider.listNodes(cluster);
  const index = nextNodeIndex(existing.map((node) => node.index));
  const network = await env.provider.ensureNetwork(networkSpec(cluster));
  let image = '';
  const created: NodeHandle[] = [];
  const config = (): ClusterConfig => ({
    name: cluster,
    nodes: 1,
    image,
    network,
    ...(env.hostAlias === 'network-gateway' ? { hostGatewayIp: network.gateway } : {}),
  });
  const nodeName = planNode({ ...config(), image: 'unused' }, index).name;
  await env.run(`add node ${nodeName}`, [
    {
      title: 'prepare node image',
      async run(ctx) {
        image = await env.nodeImage(ctx);
      },
    },
    createNodeStep(env, config, index, created, nodeName),
    {
      title: 'configure pod network',
      run: () => configurePodNetwork(env.provider, [...existing, ...created]),
    },
  ]);
  const [node] = created;
  if (!node) throw new Error(`node ${nodeName} was not created`);
  return node;
}

/** Removes one node (container and volume) and the routes to its pod CIDR. Draining is the caller's. */
export async function removeNode(
  name: string | undefined,
  nodeName: string,
  options: ProvisionerOptions,
): Promise<void> {
  const env = defaults(options);
  const cluster = clusterName(name);
  const nodes = await env.provider.listNodes(cluster);
  const node = nodes.find((n) => n.name === nodeName);
  if (!node) throw new Error(`node ${nodeName} is not part of cluster ${cluster}`);
  await env.run(`remove node ${nodeName}`, [
    { title: `remove node ${nodeName}`, run: () => env.provider.removeNodes([node]) },
    {
      title: 'configure pod network',
      run: () =>
        configurePodNetwork(
          env.provider,
          nodes.filter((n) => n !== node),
        ),
    },
  ]);
}

/** Copies a host image into every running node that lacks it (`kubedesk image load`), one step per node. */
export async function loadImage(
  name: string | undefined,
  image: string,
  options: ProvisionerOptions,
): Promise<Record<string, SideloadResult>> {
  const env = defaults(options);
  const cluster = clusterName(name);
  const nodes = (await nodesOf(env.provider, cluster)).filter((node) => node.running);
  const results: Record<string, SideloadResult> = {};
  await env.run(`load image ${image}`, [
    nodes.map((node) => ({
      title: `load ${image} into ${node.name}`,
      async run(ctx: StepContext) {
        results[node.name] = await sideloadImage(env.provider, node, image, {
          report: ctx.report,
          signal: ctx.signal,
        });
      },
    })),
  ]);
  return results;
}
