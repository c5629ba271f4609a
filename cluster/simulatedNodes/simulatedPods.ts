// The pod side of every simulated kubelet at once: one queue over the shared pods informer, keyed
// by pod. A pod bound to a simulated node that is up starts after `podStartMs` (Running, a pod IP,
// Ready unless annotated otherwise), runs to completion under restartPolicy Never/OnFailure, and
// is removed once it is being deleted. Pods on nodes that are not ours, failed, or whose Node is
// gone are left alone.

import type { V1Node, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { ResourceClient } from '../controllers/runtime/clusterClient';
import type { ControllerContext } from '../controllers/runtime/controllerContext';
import type { Informer } from '../controllers/runtime/informer';
import { objectKey, splitKey } from '../controllers/runtime/objectKey';
import { type QueueController, queueController } from '../controllers/runtime/queueController';
import type { PodAddressPool } from './podAddressPool';
import {
  exitCodeOf,
  outcome,
  type PodRun,
  runFromStatus,
  runMsOf,
  runsToCompletion,
  simulatedPodStatus,
  wantsReady,
} from './simulatedPodStatus';

/** What the pods loop needs to know of a node that is up. */
export interface PodHost {
  hostIP: string;
  addresses: PodAddressPool;
}

export interface SimulatedPodsOptions {
  podStartMs: number;
  workers?: number;
}

interface PodState {
  uid: string;
  host: PodHost;
  run?: PodRun;
  /** Date.now() values: delays are real time even when the cluster clock is a test's. */
  startDueAt?: number;
  endDueAt?: number;
  /** The readiness this kubelet last wrote; undefined when the pod's status must be checked again. */
  reportedReady?: boolean;
}

/** Retry a pod whose node has no free address after this long. */
const noAddressRetryMs = 5_000;

export class SimulatedPods {
  private readonly states = new Map<string, PodState>();
  private readonly controller: QueueController;
  private stopped = false;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly pods: ResourceClient<V1Pod>,
    private readonly podInformer: Informer<V1Pod>,
    private readonly nodeInformer: Informer<V1Node>,
    /** The node's host when it is one of ours and up; undefined otherwise. */
    private readonly hostOf: (nodeName: string) => PodHost | undefined,
    private readonly options: SimulatedPodsOptions,
  ) {
    this.controller = queueController({
      name: 'simulated-kubelet',
      reconcile: (key) => this.reconcile(key),
      log: ctx.log,
      workers: options.workers ?? 8,
    });
    const enqueue = (pod: V1Pod) => {
      const node = pod.spec?.nodeName;
      if (!this.stopped && node && this.hostOf(node)) this.controller.queue.add(objectKey(pod));
    };
    podInformer.addHandlers({
      onAdd: enqueue,
      onUpdate: (_old, pod) => enqueue(pod),
      onDelete: (pod) => {
        const key = objectKey(pod);
        if (this.states.has(key)) this.controller.queue.add(key);
      },
    });
  }

  run(): void {
    this.controller.run();
  }

  stop(): void {
    this.stopped = true;
    this.controller.stop();
  }

  /** Looks again at the pods of a node, rewriting statuses others changed meanwhile (the node
   * controller marks pods not Ready while a node is silent), as the kubelet's status manager
   * reconciles with the API server. */
  recheck(pods: readonly V1Pod[]): void {
    for (const pod of pods) {
      const key = objectKey(pod);
      const state = this.states.get(key);
      if (state) delete state.reportedReady;
      this.controller.queue.add(key);
    }
  }

  /** Forgets the pods of a node that left; their addresses go with the node. */
  forgetNode(host: PodHost): void {
    for (const [key, state] of this.states) if (state.host === host) this.states.delete(key);
  }

  private forget(key: string): void {
    const state = this.states.get(key);
    state?.host.addresses.release(key);
    this.states.delete(key);
  }

  private async reconcile(key: string): Promise<{ requeueAfterMs: number } | undefined> {
    const pod = this.podInformer.getByKey(key);
    if (!pod) {
      this.forget(key);
      return undefined;
    }
    const nodeName = pod.spec?.nodeName ?? '';
    const host = this.hostOf(nodeName);
    if (!host || !this.nodeInformer.get(undefined, nodeName)) return undefined;
    const uid = pod.metadata?.uid ?? '';
    let state = this.states.get(key);
    if (state?.uid !== uid) {
      this.forget(key);
      state = { uid, host };
      this.states.set(key, state);
    }
    if (pod.metadata?.deletionTimestamp) {
      const { namespace, name } = splitKey(key);
      await this.pods.delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid } });
      this.forget(key);
      return undefined;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      host.addresses.release(key);
      return undefined;
    }
    if (!state.run) return this.start(key, pod, state);
    return this.progress(key, pod, state, state.run);
  }

  private async start(
    key: string,
    pod: V1Pod,
    state: PodState,
  ): Promise<{ requeueAfterMs: number } | undefined> {
    const { host } = state;
    const hostNetwork = pod.spec?.hostNetwork === true;
    const reported = runFromStatus(pod);
    if (
      reported &&
      reported.hostIP === host.hostIP &&
      (hostNetwork || host.addresses.reserve(key, reported.podIP))
    ) {
      state.run = reported;
      return this.progress(key, pod, state, reported);
    }
    state.startDueAt ??= Date.now() + this.options.podStartMs;
    const wait = state.startDueAt - Date.now();
    if (wait > 0) return { requeueAfterMs: wait };
    const podIP = hostNetwork ? host.hostIP : host.addresses.allocate(key);
    if (!podIP) {
      this.ctx.log.warn('simulated node has no free pod address', { pod: key });
      return { requeueAfterMs: noAddressRetryMs };
    }
    const now = this.ctx.clock.now();
    const run: PodRun = { hostIP: host.hostIP, podIP, startTime: now, startedAt: now, restartCount: 0 };
    await this.writeStatus(pod, (live) => simulatedPodStatus(live, run, now));
    state.run = run;
    state.reportedReady = wantsReady(pod);
    if (runsToCompletion(pod)) {
      state.endDueAt = Date.now() + runMsOf(pod);
      return { requeueAfterMs: runMsOf(pod) };
    }
    return undefined;
  }

  private async progress(
    key: string,
    pod: V1Pod,
    state: PodState,
    run: PodRun,
  ): Promise<{ requeueAfterMs: number } | undefined> {
    if (runsToCompletion(pod)) {
      state.endDueAt ??= Date.now() + runMsOf(pod);
      const wait = state.endDueAt - Date.now();
      if (wait <= 0) return this.end(key, pod, state, run);
      await this.keepReadiness(pod, state, run);
      return { requeueAfterMs: wait };
    }
    await this.keepReadiness(pod, state, run);
    return undefined;
  }

  /** The containers' attempt ends: the pod completes, or (OnFailure, non-zero) they restart. */
  private async end(
    key: string,
    pod: V1Pod,
    state: PodState,
    run: PodRun,
  ): Promise<{ requeueAfterMs: number } | undefined> {
    const exitCode = exitCodeOf(pod);
    const now = this.ctx.clock.now();
    if (outcome(pod, exitCode) === 'Restart') {
      const next: PodRun = {
        ...run,
        startedAt: now,
        restartCount: run.restartCount + 1,
        last: { exitCode, startedAt: run.startedAt, finishedAt: now },
      };
      await this.writeStatus(pod, (live) => simulatedPodStatus(live, next, now));
      state.run = next;
      state.reportedReady = wantsReady(pod);
      state.endDueAt = Date.now() + runMsOf(pod);
      return { requeueAfterMs: runMsOf(pod) };
    }
    await this.writeStatus(pod, (live) => simulatedPodStatus(live, run, now, { exitCode, finishedAt: now }));
    state.host.addresses.release(key);
    return undefined;
  }

  /** Follows the `sim.kubedesk.io/ready` annotation on a running pod. Only a change of what this
   * kubelet would report is written, so it does not undo others' writes until asked to recheck. */
  private async keepReadiness(pod: V1Pod, state: PodState, run: PodRun): Promise<void> {
    const want = wantsReady(pod);
    if (state.reportedReady === want) return;
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (state.reportedReady !== undefined || ready !== want || pod.status?.phase !== 'Running') {
      const now = this.ctx.clock.now();
      await this.writeStatus(pod, (live) => simulatedPodStatus(live, run, now));
    }
    state.reportedReady = want;
  }

  private async writeStatus(pod: V1Pod, status: (live: V1Pod) => V1PodStatus): Promise<void> {
    const { namespace, name } = splitKey(objectKey(pod));
    const uid = pod.metadata?.uid;
    await this.pods.mutate(
      namespace,
      name,
      (live) => {
        if (live.metadata?.uid !== uid || live.metadata?.deletionTimestamp) return undefined;
        return { ...live, status: status(live) };
      },
      { subresource: 'status' },
    );
  }
}
