// The node lifecycle controller, as kube-controller-manager's node-lifecycle and taint-eviction
// controllers together: a node not heard from (Lease renewal or status heartbeat) for
// `nodeMonitorGracePeriodMs` gets its kubelet conditions set Unknown; a node not Ready gets the
// not-ready/unreachable NoSchedule and NoExecute taints (pressure and cordon give NoSchedule ones)
// and its pods are marked not Ready; pods go from a NoExecute-tainted node when their tolerations
// run out. One reconcile per node key.
// https://kubernetes.io/docs/concepts/architecture/nodes/#node-controller

import type { V1Node, V1Pod, V1Taint } from '@kubernetes/client-node';
import { timestamp } from '../../api/rest/restContext';
import { isConflict } from '../runtime/clusterClient';
import type { ControllerFactory } from '../runtime/controllerContext';
import { objectKey } from '../runtime/objectKey';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { NodeProbes, withUnknownConditions } from './nodeHealth';
import { conditionStatus, conditionTaints, reconcileTaints } from './nodeTaints';
import { ensurePodsByNodeIndex, podsByNodeIndex } from './podsByNode';
import { evictionFor } from './taintEviction';

export interface NodeLifecycleOptions {
  /** Silence after which a node's conditions go Unknown; default 40 s (--node-monitor-grace-period). */
  nodeMonitorGracePeriodMs?: number;
  /** How often an unhealthy node is looked at again; default 5 s (--node-monitor-period). */
  nodeMonitorPeriodMs?: number;
}

const leaseNamespace = 'kube-node-lease';
const zoneLabel = 'topology.kubernetes.io/zone';

export function createNodeLifecycleController(options: NodeLifecycleOptions = {}): ControllerFactory {
  const gracePeriodMs = options.nodeMonitorGracePeriodMs ?? 40_000;
  const monitorPeriodMs = options.nodeMonitorPeriodMs ?? 5_000;

  return (ctx) => {
    const nodeInformer = ctx.informers.for(resources.nodes);
    const leaseInformer = ctx.informers.for(resources.leases);
    const podInformer = ctx.informers.for(resources.pods);
    ensurePodsByNodeIndex(podInformer);
    const nodes = ctx.client.resource(resources.nodes);
    const pods = ctx.client.resource(resources.pods);
    const nodeEvents = ctx.recorder('node-controller');
    const evictionEvents = ctx.recorder('taint-eviction-controller');
    const probes = new NodeProbes();
    /** Ready status each node had when last reconciled, to tell when it stops being Ready. */
    const lastReady = new Map<string, string | undefined>();
    /** When taints without timeAdded were first seen, keyed node/key/effect. */
    const firstSeen = new Map<string, number>();
    /** Pods (by uid) with an eviction pending, for the cancellation event, and ones being evicted. */
    const scheduled = new Map<string, number>();
    const evicting = new Set<string>();

    const controller = queueController({ name: 'node-lifecycle', reconcile, log: ctx.log, workers: 4 });
    const enqueue = (name: string | undefined) => {
      if (name) controller.queue.add(name);
    };
    const unhealthy = (node: V1Node | undefined) =>
      node !== undefined &&
      (conditionStatus(node, 'Ready') !== 'True' ||
        (node.spec?.taints ?? []).some((t) => t.effect === 'NoExecute'));

    nodeInformer.addHandlers({
      onAdd: (node) => {
        probes.observeNode(node, ctx.clock.now());
        enqueue(node.metadata?.name);
      },
      onUpdate: (_old, node) => {
        probes.observeNode(node, ctx.clock.now());
        enqueue(node.metadata?.name);
      },
      onDelete: (node) => enqueue(node.metadata?.name),
    });
    const onLease = (lease: { metadata?: { namespace?: string; name?: string } }) => {
      if (lease.metadata?.namespace !== leaseNamespace) return;
      probes.observeLease(lease, ctx.clock.now());
      enqueue(lease.metadata.name);
    };
    leaseInformer.addHandlers({ onAdd: onLease, onUpdate: (_old, lease) => onLease(lease) });
    const onPod = (pod: V1Pod) => {
      const nodeName = pod.spec?.nodeName;
      if (nodeName && unhealthy(nodeInformer.get(undefined, nodeName))) enqueue(nodeName);
    };
    podInformer.addHandlers({
      onAdd: onPod,
      onUpdate: (_old, pod) => onPod(pod),
      onDelete: (pod) => {
        const uid = pod.metadata?.uid ?? '';
        scheduled.delete(uid);
        evicting.delete(uid);
      },
    });

    const silent = (name: string, now: Date) => now.getTime() - probes.lastHeard(name, now) > gracePeriodMs;

    /** No node of the zone is Ready: more likely we are cut off from it than all of it died, so
     * Kubernetes stops evicting there. A silent node counts as not Ready even while the cache
     * still shows the Ready it is about to lose (another worker may be marking it Unknown). */
    function zoneFullyDisrupted(node: V1Node, now: Date): boolean {
      const zone = node.metadata?.labels?.[zoneLabel] ?? '';
      return !nodeInformer
        .list()
        .some(
          (n) =>
            (n.metadata?.labels?.[zoneLabel] ?? '') === zone &&
            conditionStatus(n, 'Ready') === 'True' &&
            !silent(n.metadata?.name ?? '', now),
        );
    }

    async function markUnknownIfSilent(name: string, node: V1Node, now: Date): Promise<V1Node | undefined> {
      if (!silent(name, now)) return node;
      if (!withUnknownConditions(node, now)) return node;
      return nodes.mutate(undefined, name, (live) => withUnknownConditions(live, now), {
        subresource: 'status',
      });
    }

    async function markPodsNotReady(nodeName: string, now: Date): Promise<void> {
      for (const pod of podInformer.byIndex(podsByNodeIndex, nodeName)) {
        if (pod.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') continue;
        const { namespace, name = '', uid } = pod.metadata ?? {};
        let changed = false;
        await pods.mutate(
          namespace,
          name,
          (live) => {
            const ready = live.status?.conditions?.find((c) => c.type === 'Ready');
            if (live.metadata?.uid !== uid || !ready || ready.status === 'False') return undefined;
            changed = true;
            const conditions = (live.status?.conditions ?? []).map((c) =>
              c === ready
                ? { ...c, status: 'False', lastTransitionTime: timestamp(now) as unknown as Date }
                : c,
            );
            return { ...live, status: { ...live.status, conditions } };
          },
          { subresource: 'status' },
        );
        if (changed) nodeEvents.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      }
    }

    async function applyTaints(name: string, node: V1Node, now: Date): Promise<V1Node | undefined> {
      const options = { addNoExecute: true };
      const desired = conditionTaints(node);
      if (!reconcileTaints(node.spec?.taints, desired, now)) return node;
      options.addNoExecute = !zoneFullyDisrupted(node, now);
      if (!reconcileTaints(node.spec?.taints, desired, now, options)) return node;
      return nodes.mutate(undefined, name, (live) => {
        const taints = reconcileTaints(live.spec?.taints, conditionTaints(live), now, options);
        if (!taints) return undefined;
        const { taints: _previous, ...spec } = live.spec ?? {};
        return { ...live, spec: taints.length > 0 ? { ...spec, taints } : spec };
      });
    }

    function since(nodeName: string, now: Date): (taint: V1Taint) => Date {
      return (taint) => {
        if (taint.timeAdded) return new Date(taint.timeAdded);
        const key = `${nodeName}\0${taint.key}\0${taint.effect}`;
        const seen = firstSeen.get(key) ?? now.getTime();
        firstSeen.set(key, seen);
        return new Date(seen);
      };
    }

    async function evict(pod: V1Pod, now: Date): Promise<void> {
      const { namespace, name = '', uid = '' } = pod.metadata ?? {};
      evicting.add(uid);
      evictionEvents.event(
        pod,
        'Normal',
        'TaintManagerEviction',
        `Marking for deletion Pod ${objectKey(pod)}`,
      );
      try {
        await pods.mutate(
          namespace,
          name,
          (live) => {
            if (live.metadata?.uid !== uid) return undefined;
            const others = (live.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
            const disruption = {
              type: 'DisruptionTarget',
              status: 'True',
              reason: 'DeletionByTaintManager',
              message: 'Taint manager: deleting due to NoExecute taint',
              lastTransitionTime: timestamp(now) as unknown as Date,
            };
            return { ...live, status: { ...live.status, conditions: [...others, disruption] } };
          },
          { subresource: 'status' },
        );
        await pods.delete(namespace, name, { preconditions: { uid } });
        scheduled.delete(uid);
      } catch (err) {
        evicting.delete(uid);
        // Another pod took the name meanwhile: the next pass looks at that one.
        if (!isConflict(err)) throw err;
      }
    }

    /** Evicts pods whose tolerations ran out; returns when the next one is due, if any. */
    async function evictPods(name: string, node: V1Node, now: Date): Promise<number | undefined> {
      const noExecute = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
      const taintSince = since(name, now);
      let next: number | undefined;
      for (const pod of podInformer.byIndex(podsByNodeIndex, name)) {
        const uid = pod.metadata?.uid ?? '';
        if (pod.metadata?.deletionTimestamp || evicting.has(uid)) continue;
        const eviction = noExecute.length > 0 ? evictionFor(pod, noExecute, taintSince) : undefined;
        if (!eviction) {
          if (scheduled.delete(uid)) {
            evictionEvents.event(
              pod,
              'Normal',
              'TaintManagerEviction',
              `Cancelling deletion of Pod ${objectKey(pod)}`,
            );
          }
          continue;
        }
        const at = eviction.at === 'now' ? now.getTime() : eviction.at.getTime();
        if (at <= now.getTime()) {
          await evict(pod, now);
          continue;
        }
        scheduled.set(uid, at);
        next = next === undefined ? at : Math.min(next, at);
      }
      return next;
    }

    async function reconcile(name: string): Promise<{ requeueAfterMs: number } | undefined> {
      const cached = nodeInformer.get(undefined, name);
      if (!cached) {
        probes.forget(name);
        lastReady.delete(name);
        for (const key of firstSeen.keys()) if (key.startsWith(`${name}\0`)) firstSeen.delete(key);
        return undefined;
      }
      const now = ctx.clock.now();
      let node = await markUnknownIfSilent(name, cached, now);
      if (!node) return undefined;
      const ready = conditionStatus(node, 'Ready');
      if (!lastReady.has(name)) lastReady.set(name, conditionStatus(cached, 'Ready'));
      if (lastReady.get(name) === 'True' && ready !== 'True') {
        nodeEvents.event(cached, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      }
      lastReady.set(name, ready);
      if (ready !== 'True') await markPodsNotReady(name, now);
      node = await applyTaints(name, node, now);
      if (!node) return undefined;
      const nextEviction = await evictPods(name, node, now);

      const waits: number[] = [];
      if (ready !== 'Unknown') waits.push(probes.lastHeard(name, now) + gracePeriodMs + 1 - now.getTime());
      if (nextEviction !== undefined) waits.push(nextEviction - now.getTime());
      if (unhealthy(node)) waits.push(monitorPeriodMs);
      return waits.length > 0 ? { requeueAfterMs: Math.max(1, Math.min(...waits)) } : undefined;
    }

    return controller;
  };
}

export const nodeLifecycleController: ControllerFactory = createNodeLifecycleController();
