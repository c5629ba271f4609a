// Simulated nodes, our answer to KWOK: in-process fake kubelets on a controller context. Each one
// registers a Node shaped like a real kubelet's, renews its Lease in kube-node-lease (one batched
// timer for all nodes) and reports its status when it changes or every `statusReportMs`; pods bound
// to it run as `simulatedPods.ts` describes. Knobs make a node stop heartbeating, report NotReady,
// or fail outright, for the node lifecycle controller and its tests.

import type { V1Node, V1Taint } from '@kubernetes/client-node';
import { ensurePodsByNodeIndex, podsByNodeIndex } from '../controllers/nodeLifecycle/podsByNode';
import { isNotFound } from '../controllers/runtime/clusterClient';
import type { ControllerContext } from '../controllers/runtime/controllerContext';
import { resources } from '../controllers/runtime/resources';
import { HeartbeatScheduler } from './heartbeatScheduler';
import { nodeLeaseNamespace, renewNodeLease } from './nodeLease';
import { PodAddressPool } from './podAddressPool';
import {
  conditionsMatch,
  kubeletConditions,
  type NodeCapacity,
  nodeInternalIP,
  nodePodCidr,
  nodeStatus,
  type SimulatedNodeSpec,
  simulatedNodeObject,
} from './simulatedNodeObject';
import { type PodHost, SimulatedPods } from './simulatedPods';

export type { NodeCapacity, SimulatedNodeSpec } from './simulatedNodeObject';

export interface SimulatedNodesOptions {
  /** Nodes started at once, named `<namePrefix>-1..count`. */
  count?: number;
  /** Default `sim-node`. */
  namePrefix?: string;
  /** Defaults for every node: capacity (cpu 4, memory 8Gi, pods 110), extra labels, taints. */
  capacity?: Partial<NodeCapacity>;
  labels?: Record<string, string>;
  taints?: V1Taint[];
  /** Delay between a pod being bound and it running; default 50 ms. */
  podStartMs?: number;
  /** Lease renewal period; default 10 s, as the kubelet's. */
  leaseRenewMs?: number;
  /** Node status is posted when it changes and at least this often; default 5 min (the kubelet's
   * nodeStatusReportFrequency). */
  statusReportMs?: number;
}

export interface AddNodeOptions {
  /** Default: the next free `<namePrefix>-<n>`. */
  name?: string;
  capacity?: Partial<NodeCapacity>;
  labels?: Record<string, string>;
  taints?: V1Taint[];
  architecture?: string;
}

export interface SimulatedNodes {
  /** Names of the nodes this runner simulates. */
  names(): string[];
  /** Registers a node (or takes over an existing Node of that name); resolves once it is Ready. */
  add(options?: AddNodeOptions): Promise<V1Node>;
  /** Stops simulating the node and deletes its Node and Lease; its pods are left alone. */
  remove(name: string): Promise<void>;
  /** The node stops renewing its Lease and posting status, as if cut off; its pods still run. */
  pauseHeartbeat(name: string): void;
  resumeHeartbeat(name: string): void;
  /** The node reports Ready=False (KubeletNotReady) while heartbeating, or Ready again. */
  setReady(name: string, ready: boolean): void;
  /** The node dies: no heartbeats, and its pods are no longer started, completed or removed. */
  failNode(name: string): void;
  recoverNode(name: string): void;
  /** Stops every simulated kubelet; Node objects stay, as when kubelets stop. */
  stop(): void;
}

interface SimNode {
  spec: SimulatedNodeSpec;
  slot: number;
  host: PodHost;
  heartbeatPaused: boolean;
  failed: boolean;
  ready: boolean;
  lease?: Awaited<ReturnType<typeof renewNodeLease>>;
  /** Date.now() of the last status post. */
  lastStatusAt: number;
}

const defaults = { namePrefix: 'sim-node', podStartMs: 50, leaseRenewMs: 10_000, statusReportMs: 5 * 60_000 };

/** Nodes registered at once when starting many. */
const registrationConcurrency = 16;

export async function startSimulatedNodes(
  ctx: ControllerContext,
  options: SimulatedNodesOptions = {},
): Promise<SimulatedNodes> {
  const settings = { ...defaults, ...definedOnly(options) };
  const client = ctx.client.withFieldManager('kubelet');
  const nodeClient = client.resource(resources.nodes);
  const leaseClient = client.resource(resources.leases);
  const podInformer = ctx.informers.for(resources.pods);
  const nodeInformer = ctx.informers.for(resources.nodes);
  ensurePodsByNodeIndex(podInformer);
  const log = ctx.log.child({ component: 'simulated-nodes' });
  const nodes = new Map<string, SimNode>();
  const usedSlots = new Set<number>();
  let stopped = false;

  const up = (node: SimNode | undefined) => node !== undefined && !node.failed && !stopped;
  const pods = new SimulatedPods(
    { ...ctx, log },
    client.resource(resources.pods),
    podInformer,
    nodeInformer,
    (name) => {
      const node = nodes.get(name);
      return up(node) ? node?.host : undefined;
    },
    { podStartMs: settings.podStartMs },
  );
  const podsOn = (name: string) => podInformer.byIndex(podsByNodeIndex, name);
  nodeInformer.addHandlers({
    // Pods bound before the Node reached the cache are looked at again once it has.
    onAdd: (node) => {
      const name = node.metadata?.name ?? '';
      if (up(nodes.get(name))) pods.recheck(podsOn(name));
    },
  });

  async function postStatus(name: string, node: SimNode): Promise<void> {
    const now = ctx.clock.now();
    await nodeClient.mutate(
      undefined,
      name,
      (live) => ({
        ...live,
        status: {
          ...live.status,
          ...nodeStatus(node.spec, node.slot),
          conditions: kubeletConditions({ ready: node.ready }, now, live.status?.conditions),
        },
      }),
      { subresource: 'status' },
    );
    node.lastStatusAt = Date.now();
  }

  async function beat(name: string): Promise<void> {
    const node = nodes.get(name);
    if (!up(node) || !node || node.heartbeatPaused) return;
    // A kubelet whose Node was deleted has nothing to post until it registers again.
    const live = nodeInformer.get(undefined, name);
    if (!live) return;
    node.lease = await renewNodeLease(
      leaseClient,
      { name, uid: live.metadata?.uid ?? '' },
      node.lease,
      ctx.clock.now(),
    );
    if (!conditionsMatch(live, { ready: node.ready })) {
      // Someone else rewrote this node's status (the node controller, after a silence): post
      // ours again, and the pods' too.
      await postStatus(name, node);
      pods.recheck(podsOn(name));
    } else if (Date.now() - node.lastStatusAt >= settings.statusReportMs) {
      await postStatus(name, node);
    }
  }

  const heartbeats = new HeartbeatScheduler({
    periodMs: settings.leaseRenewMs,
    beat,
    onError: (node, err) => log.warn('node heartbeat failed', { node, error: String(err) }),
  });

  function freeSlot(): number {
    let slot = 1;
    while (usedSlots.has(slot)) slot++;
    return slot;
  }

  function freeName(): string {
    for (let n = 1; ; n++) {
      const name = `${settings.namePrefix}-${n}`;
      if (!nodes.has(name)) return name;
    }
  }

  /** Creates the Node, or takes over one left by an earlier run (keeping its pod CIDR, immutable
   * once set, and taints others added); says whether its status still needs posting. */
  async function register(spec: SimulatedNodeSpec, slot: number): Promise<{ node: V1Node; taken: boolean }> {
    const desired = simulatedNodeObject(spec, slot);
    desired.status = { ...desired.status, conditions: kubeletConditions({ ready: true }, ctx.clock.now()) };
    const taken = await nodeClient.mutate(undefined, spec.name, (live) => ({
      ...live,
      metadata: { ...live.metadata, labels: { ...live.metadata?.labels, ...desired.metadata?.labels } },
      spec: {
        ...desired.spec,
        ...live.spec,
        ...(spec.taints?.length ? { taints: mergeTaints(live.spec?.taints, spec.taints) } : {}),
      },
    }));
    return taken ? { node: taken, taken: true } : { node: await nodeClient.create(desired), taken: false };
  }

  function lookup(name: string): SimNode {
    const node = nodes.get(name);
    if (!node) throw new Error(`no simulated node named ${name}`);
    return node;
  }

  const api: SimulatedNodes = {
    names: () => [...nodes.keys()],

    async add(addOptions = {}) {
      if (stopped) throw new Error('simulated nodes are stopped');
      const name = addOptions.name ?? freeName();
      if (nodes.has(name)) throw new Error(`simulated node ${name} already exists`);
      const spec: SimulatedNodeSpec = {
        name,
        capacity: { ...settings.capacity, ...addOptions.capacity },
        labels: { ...settings.labels, ...addOptions.labels },
        taints: [...(settings.taints ?? []), ...(addOptions.taints ?? [])],
        ...(addOptions.architecture ? { architecture: addOptions.architecture } : {}),
      };
      const slot = freeSlot();
      usedSlots.add(slot);
      try {
        const { node: registered, taken } = await register(spec, slot);
        const cidr = registered.spec?.podCIDR ?? nodePodCidr(slot);
        const node: SimNode = {
          spec,
          slot,
          host: { hostIP: nodeInternalIP(slot), addresses: new PodAddressPool(cidr) },
          heartbeatPaused: false,
          failed: false,
          ready: true,
          lastStatusAt: 0,
        };
        nodes.set(name, node);
        if (taken) await postStatus(name, node);
        else node.lastStatusAt = Date.now();
        node.lease = await renewNodeLease(
          leaseClient,
          { name, uid: registered.metadata?.uid ?? '' },
          undefined,
          ctx.clock.now(),
        );
        heartbeats.add(name);
        pods.recheck(podsOn(name));
        return (await nodeClient.get(undefined, name)) ?? registered;
      } catch (err) {
        nodes.delete(name);
        usedSlots.delete(slot);
        throw err;
      }
    },

    async remove(name) {
      const node = lookup(name);
      heartbeats.remove(name);
      nodes.delete(name);
      usedSlots.delete(node.slot);
      pods.forgetNode(node.host);
      await nodeClient.delete(undefined, name);
      await leaseClient.delete(nodeLeaseNamespace, name).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    },

    pauseHeartbeat(name) {
      lookup(name).heartbeatPaused = true;
    },

    resumeHeartbeat(name) {
      lookup(name).heartbeatPaused = false;
      heartbeats.beatSoon(name);
    },

    setReady(name, ready) {
      lookup(name).ready = ready;
      heartbeats.beatSoon(name);
    },

    failNode(name) {
      lookup(name).failed = true;
    },

    recoverNode(name) {
      lookup(name).failed = false;
      heartbeats.beatSoon(name);
      pods.recheck(podsOn(name));
    },

    stop() {
      stopped = true;
      heartbeats.stop();
      pods.stop();
    },
  };

  await Promise.all([podInformer.start(), nodeInformer.start()]);
  pods.run();
  const names = Array.from({ length: options.count ?? 0 }, (_, i) => `${settings.namePrefix}-${i + 1}`);
  await inBatches(names, registrationConcurrency, (name) => api.add({ name }));
  log.info('simulated nodes started', { count: names.length });
  return api;
}

function mergeTaints(live: V1Taint[] = [], wanted: V1Taint[]): V1Taint[] {
  const kept = live.filter((t) => !wanted.some((w) => w.key === t.key && w.effect === t.effect));
  return [...kept, ...wanted];
}

function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function inBatches<T>(
  items: T[],
  concurrency: number,
  run: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
