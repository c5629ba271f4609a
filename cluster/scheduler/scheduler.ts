// The scheduler as a controller: informer events feed the cache (nodes, bound pods) and the
// scheduling queue (pending pods of `default-scheduler`); one loop takes pods by priority, picks a
// node synchronously over the cache, assumes the pod there and binds it in the background, so the
// next pod is scheduled while the binding is written. A pod that fits nowhere gets
// PodScheduled=False/Unschedulable and a FailedScheduling event, and waits for a cluster event
// that may help (or the periodic retry).
// https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { isApiError } from '../api/status';
import { isConflict, isNotFound } from '../controllers/runtime/clusterClient';
import type { ControllerContext, ControllerFactory } from '../controllers/runtime/controllerContext';
import { byNamespace, namespaceIndex } from '../controllers/runtime/informer';
import type { Controller } from '../controllers/runtime/queueController';
import { resources } from '../controllers/runtime/resources';
import { defaultProfile, eventPlugins } from './defaultProfile';
import { errNoNodesAvailable, fitErrorMessage } from './fitError';
import { markPreempted, markUnschedulable, type UnschedulableReason } from './podConditions';
import { type PodInfo, podInfo } from './podInfo';
import { preempt } from './preemption';
import { isTerminal, SchedulerCache } from './schedulerCache';
import { type ScheduleResult, SchedulingAlgorithm } from './schedulingAlgorithm';
import { type ClusterEvent, type QueuedPod, SchedulingQueue } from './schedulingQueue';
import { VolumeBinder, type VolumePlan } from './volumeBinder';

export const schedulerName = 'default-scheduler';

export interface SchedulerOptions {
  /** kube-scheduler's percentageOfNodesToScore; 0 (default) adapts to the cluster size. */
  percentageOfNodesToScore?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Unschedulable pods are retried after this long without a helpful event (default 5 min). */
  maxUnschedulableMs?: number;
  /** How often backoff and unschedulable pods are checked (default 1 s). */
  flushIntervalMs?: number;
  /** How long a pod's WaitForFirstConsumer claims may take to be bound (default 600 s). */
  volumeBindTimeoutMs?: number;
  /** Bindings written concurrently before the loop waits for one (default 500). */
  maxBindingsInFlight?: number;
  random?: () => number;
}

const anyChange: ClusterEvent = {};
const podEvent = (plugins: ReadonlySet<string>): ClusterEvent => ({ plugins });

function isTerminating(pod: V1Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
}

/** What of a Node can change a scheduling decision (not heartbeats or addresses). */
function schedulingFacts(node: V1Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  const images = (node.status?.images ?? []).map((i) => i.names);
  return JSON.stringify([
    node.metadata?.labels,
    node.spec?.unschedulable,
    node.spec?.taints,
    node.status?.allocatable,
    ready,
    images,
  ]);
}

/** What of a pending pod can change its own fate (not its status). */
function podFacts(pod: V1Pod): string {
  return JSON.stringify([pod.spec, pod.metadata?.labels, pod.metadata?.annotations]);
}

export function createScheduler(options: SchedulerOptions = {}): ControllerFactory {
  return (ctx) => startScheduler(ctx, options);
}

/** The scheduler with kube-scheduler's defaults. */
export const scheduler: ControllerFactory = createScheduler();

function startScheduler(ctx: ControllerContext, options: SchedulerOptions): Controller {
  const client = ctx.client.withFieldManager(schedulerName);
  const podsClient = client.resource(resources.pods);
  const recorder = ctx.recorder(schedulerName);
  const log = ctx.log.child({ controller: 'scheduler' });
  const random = options.random ?? Math.random;

  const pods = ctx.informers.for(resources.pods);
  const nodes = ctx.informers.for(resources.nodes);
  const namespaces = ctx.informers.for(resources.namespaces);
  const claims = ctx.informers.for(resources.persistentVolumeClaims);
  const volumes = ctx.informers.for(resources.persistentVolumes);
  const storageClasses = ctx.informers.for(resources.storageClasses);
  const services = ctx.informers.for(resources.services);
  const replicaSets = ctx.informers.for(resources.replicaSets);
  const statefulSets = ctx.informers.for(resources.statefulSets);
  const budgets = ctx.informers.for(resources.podDisruptionBudgets);
  if (!services.hasIndex(byNamespace)) services.addIndex(byNamespace, namespaceIndex);
  const volumesByClass = 'scheduler:storageClass';
  volumes.addIndex(volumesByClass, (pv) => [pv.spec?.storageClassName ?? '']);

  const volumeLookups = {
    claim: (namespace: string, name: string) => claims.get(namespace, name),
    volume: (name: string) => volumes.get(undefined, name),
    storageClass: (name: string) => storageClasses.get(undefined, name),
    volumesOfClass: (className: string) => volumes.byIndex(volumesByClass, className),
  };
  const binder = new VolumeBinder(client, volumeLookups, options.volumeBindTimeoutMs ?? 600_000);
  const cache = new SchedulerCache((ns) => namespaces.get(undefined, ns)?.metadata?.labels);
  const queue = new SchedulingQueue(options);
  const algorithm = new SchedulingAlgorithm(
    defaultProfile({
      volumes: { ...volumeLookups, isVolumeReserved: (name) => binder.isVolumeReserved(name) },
      workloads: {
        servicesIn: (namespace) => services.byIndex(byNamespace, namespace),
        replicaSet: (namespace, name) => replicaSets.get(namespace, name),
        statefulSet: (namespace, name) => statefulSets.get(namespace, name),
      },
    }),
    {
      ...(options.percentageOfNodesToScore !== undefined
        ? { percentageOfNodesToScore: options.percentageOfNodesToScore }
        : {}),
      random,
    },
  );

  const responsible = (pod: V1Pod) => (pod.spec?.schedulerName || schedulerName) === schedulerName;
  const pending = (pod: V1Pod) =>
    !pod.spec?.nodeName && responsible(pod) && !isTerminating(pod) && !isTerminal(pod);
  const parse = (pod: V1Pod): PodInfo | undefined => {
    try {
      return podInfo(pod);
    } catch (err) {
      log.warn('pod not schedulable as written', { pod: pod.metadata?.name, error: String(err) });
      return undefined;
    }
  };

  pods.addHandlers({
    onAdd(pod) {
      if (pod.spec?.nodeName) {
        if (isTerminal(pod)) return;
        cache.addPod(pod);
        queue.moveOnEvent(podEvent(eventPlugins.assignedPodAdded));
      } else if (pending(pod)) {
        const info = parse(pod);
        if (info) queue.add(info);
      }
    },
    onUpdate(old, pod) {
      const uid = pod.metadata?.uid ?? '';
      if (pod.spec?.nodeName) {
        if (!old.spec?.nodeName) queue.delete(uid);
        if (isTerminal(pod)) {
          if (cache.nodeOf(uid) !== undefined) {
            cache.removePod(uid);
            queue.moveOnEvent(podEvent(eventPlugins.assignedPodDeleted));
          }
        } else if (!old.spec?.nodeName) {
          const ours = cache.isAssumed(uid);
          cache.addPod(pod);
          if (!ours) queue.moveOnEvent(podEvent(eventPlugins.assignedPodAdded));
        } else {
          cache.updatePod(pod);
          // Only labels of running pods feed (anti-)affinity and spreading; status updates do not.
          if (JSON.stringify(old.metadata?.labels) !== JSON.stringify(pod.metadata?.labels)) {
            queue.moveOnEvent(podEvent(eventPlugins.assignedPodUpdated));
          }
        }
        return;
      }
      if (!pending(pod)) {
        queue.delete(uid);
        return;
      }
      const info = parse(pod);
      if (info) queue.update(info, podFacts(old) !== podFacts(pod));
    },
    onDelete(pod) {
      const uid = pod.metadata?.uid ?? '';
      if (pod.spec?.nodeName) {
        cache.removePod(uid);
        queue.moveOnEvent(podEvent(eventPlugins.assignedPodDeleted));
      } else {
        queue.delete(uid);
        cache.forget(uid);
      }
    },
  });
  nodes.addHandlers({
    onAdd(node) {
      cache.setNode(node);
      queue.moveOnEvent(anyChange);
    },
    onUpdate(old, node) {
      cache.setNode(node);
      if (schedulingFacts(old) !== schedulingFacts(node)) queue.moveOnEvent(anyChange);
    },
    onDelete(node) {
      cache.removeNode(node.metadata?.name ?? '');
    },
  });
  const volumeEvent = podEvent(eventPlugins.volumeChanged);
  claims.addHandlers({
    onAdd: () => queue.moveOnEvent(volumeEvent),
    onUpdate(_old, claim) {
      binder.claimChanged(claim);
      queue.moveOnEvent(volumeEvent);
    },
    onDelete: (claim) => binder.claimChanged(claim),
  });
  for (const informer of [volumes, storageClasses]) {
    informer.addHandlers({
      onAdd: () => queue.moveOnEvent(volumeEvent),
      onUpdate: () => queue.moveOnEvent(volumeEvent),
    });
  }

  /** PodScheduled=False on the pod, written in the background; losing a race with a bind is fine. */
  function reportFailure(
    pod: V1Pod,
    reason: UnschedulableReason,
    message: string,
    nominatedNodeName?: string | null,
  ) {
    recorder.event(pod, 'Warning', 'FailedScheduling', message);
    const uid = pod.metadata?.uid ?? '';
    const expect = {
      uid,
      reason,
      message,
      ...(nominatedNodeName !== undefined ? { nominatedNodeName } : {}),
    };
    podsClient
      .mutate(
        pod.metadata?.namespace,
        pod.metadata?.name ?? '',
        (live) => markUnschedulable(live, expect, ctx.clock.now()),
        {
          subresource: 'status',
        },
      )
      .catch((err: unknown) =>
        log.debug('pod status not updated', { pod: pod.metadata?.name, error: String(err) }),
      );
  }

  async function evict(preemptor: PodInfo, nodeName: string, victims: PodInfo[]): Promise<void> {
    for (const victim of victims) {
      const meta = victim.pod.metadata ?? {};
      try {
        await podsClient.mutate(
          meta.namespace,
          meta.name ?? '',
          (live) => markPreempted(live, victim.uid, schedulerName, ctx.clock.now()),
          {
            subresource: 'status',
          },
        );
        await podsClient.delete(meta.namespace, meta.name ?? '', { preconditions: { uid: victim.uid } });
        recorder.event(
          victim.pod,
          'Normal',
          'Preempted',
          `Preempted by pod ${preemptor.uid} on node ${nodeName}`,
        );
      } catch (err) {
        log.warn('preemption victim not evicted', { pod: meta.name, error: String(err) });
      }
    }
  }

  function handleUnschedulable(item: QueuedPod, result: Exclude<ScheduleResult, { kind: 'scheduled' }>) {
    const info = item.info;
    if (result.kind === 'noNodes') {
      queue.addUnschedulable(item, new Set());
      reportFailure(info.pod, 'Unschedulable', errNoNodesAvailable);
      return;
    }
    const { diagnosis } = result;
    const preemption = preempt(info, diagnosis, cache, random, budgets.list());
    const message = fitErrorMessage({
      numAllNodes: diagnosis.numAllNodes,
      nodeReasons: [...diagnosis.statuses.values()].map((s) => s.reasons),
      ...(diagnosis.preFilter ? { preFilterMessage: diagnosis.preFilter.reasons.join(', ') } : {}),
      ...(preemption.message ? { postFilterMessage: preemption.message } : {}),
    });
    queue.addUnschedulable(item, diagnosis.rejectedBy);
    const nominated = preemption.nominated;
    if (nominated) {
      void evict(info, nominated.node.name, nominated.victims);
      reportFailure(info.pod, 'Unschedulable', message, nominated.node.name);
    } else {
      reportFailure(
        info.pod,
        'Unschedulable',
        message,
        info.pod.status?.nominatedNodeName ? null : undefined,
      );
    }
  }

  async function bind(item: QueuedPod, nodeName: string, plan: VolumePlan | undefined): Promise<void> {
    const pod = item.info.pod;
    const meta = pod.metadata ?? {};
    try {
      if (plan) await binder.bind(plan, nodeName);
      await client.bind(pod, nodeName);
      queue.done(item.info.uid);
      recorder.event(
        pod,
        'Normal',
        'Scheduled',
        `Successfully assigned ${meta.namespace}/${meta.name} to ${nodeName}`,
      );
    } catch (err) {
      cache.forget(item.info.uid);
      queue.moveOnEvent(podEvent(eventPlugins.assignedPodDeleted));
      const live = pods.get(meta.namespace, meta.name ?? '');
      if (
        isNotFound(err) ||
        !live ||
        live.metadata?.uid !== item.info.uid ||
        (isConflict(err) && live.spec?.nodeName)
      ) {
        queue.done(item.info.uid);
        return;
      }
      const message = `binding rejected: ${isApiError(err) ? err.message : String(err)}`;
      log.warn('binding failed; will retry', { pod: meta.name, node: nodeName, error: message });
      queue.addBackoff(item);
      reportFailure(pod, 'SchedulerError', message);
    } finally {
      binder.release(plan);
    }
  }

  let bindingsInFlight = 0;
  const maxBindings = options.maxBindingsInFlight ?? 500;
  let bindingSlot: (() => void) | undefined;

  function scheduleOne(item: QueuedPod): void {
    const info = item.info;
    const live = pods.getByKey(info.key);
    if (!live || live.metadata?.uid !== info.uid || !pending(live) || cache.nodeOf(info.uid) !== undefined) {
      queue.done(info.uid);
      return;
    }
    let result: ScheduleResult;
    let plan: VolumePlan | undefined;
    try {
      result = algorithm.schedule(info, cache);
      if (result.kind === 'scheduled') plan = binder.reserve(info.pod, result.node);
    } catch (err) {
      log.warn('scheduling attempt failed', { pod: info.key, error: String(err) });
      queue.addBackoff(item);
      reportFailure(info.pod, 'SchedulerError', String(err instanceof Error ? err.message : err));
      return;
    }
    if (result.kind !== 'scheduled') {
      handleUnschedulable(item, result);
      return;
    }
    cache.assume(info, result.node.name);
    bindingsInFlight++;
    void bind(item, result.node.name, plan).finally(() => {
      bindingsInFlight--;
      bindingSlot?.();
      bindingSlot = undefined;
    });
  }

  let stopped = false;
  const timers: NodeJS.Timeout[] = [];

  async function loop(): Promise<void> {
    for (let item = await queue.pop(); item && !stopped; item = await queue.pop()) {
      // Each pod in its own turn of the event loop, never in the microtasks of the write that
      // queued it: the API server answers that write, and requests waiting on I/O, first.
      await yieldToEventLoop();
      if (stopped) return;
      scheduleOne(item);
      if (bindingsInFlight >= maxBindings) await new Promise<void>((resolve) => (bindingSlot = resolve));
    }
  }

  return {
    name: 'scheduler',
    run() {
      const timer = setInterval(() => {
        queue.flushBackoff();
        queue.flushUnschedulableLeftover();
      }, options.flushIntervalMs ?? 1_000);
      timer.unref();
      timers.push(timer);
      loop().catch((err: unknown) => log.error('scheduling loop stopped', { error: String(err) }));
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      queue.close();
    },
  };
}
