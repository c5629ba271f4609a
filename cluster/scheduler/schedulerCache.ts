// The scheduler's picture of the cluster (kube-scheduler's internal cache): NodeInfos kept up to
// date from the Node and Pod informers, plus pods the scheduler has assumed onto a node but whose
// binding the informer has not shown yet. Counting assumed pods is what lets the next pod be
// scheduled without waiting for the previous binding's watch event.

import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { NamespaceLabels } from './affinityTerms';
import type { ClusterView, NodeTally } from './framework';
import { NodeInfo } from './nodeInfo';
import { type PodInfo, podInfo } from './podInfo';

interface PodState {
  info: PodInfo;
  node: string;
  /** Placed by the scheduler, not yet seen bound by the informer. */
  assumed: boolean;
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Pods in Succeeded or Failed use nothing any more (kube-scheduler's informer filters them out). */
export function isTerminal(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export class SchedulerCache implements ClusterView {
  private readonly infos = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PodState>();
  private readonly imageCounts = new Map<string, number>();
  private readonly affinityNodes = new Set<NodeInfo>();
  private readonly antiAffinityNodes = new Set<NodeInfo>();
  private list: NodeInfo[] = [];
  private listStale = false;
  readonly tally: NodeTally = { notReady: 0, cordoned: 0, filterTainted: 0, preferNoScheduleTainted: 0 };

  constructor(readonly namespaceLabels: NamespaceLabels) {}

  get nodes(): readonly NodeInfo[] {
    if (this.listStale) {
      this.list = [...this.infos.values()].filter((n) => n.node !== undefined);
      this.listStale = false;
    }
    return this.list;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    const info = this.infos.get(name);
    return info?.node ? info : undefined;
  }

  nodesWithAffinityPods(): Iterable<NodeInfo> {
    return [...this.affinityNodes].filter((n) => n.node !== undefined);
  }

  nodesWithRequiredAntiAffinityPods(): Iterable<NodeInfo> {
    return [...this.antiAffinityNodes].filter((n) => n.node !== undefined);
  }

  imageNodeCount(name: string): number {
    return this.imageCounts.get(name) ?? 0;
  }

  setNode(node: V1Node): void {
    const name = node.metadata?.name ?? '';
    const info = this.infoFor(name);
    if (info.node) this.forgetNodeFacts(info);
    else this.listStale = true;
    info.setNode(node);
    for (const image of info.imageSizes.keys())
      this.imageCounts.set(image, (this.imageCounts.get(image) ?? 0) + 1);
    this.count(info, 1);
  }

  removeNode(name: string): void {
    const info = this.infos.get(name);
    if (!info?.node) return;
    this.forgetNodeFacts(info);
    info.node = undefined;
    this.listStale = true;
    // Pods still bound to a deleted node keep a placeholder until they go, as kube-scheduler does.
    if (info.pods.size === 0) this.infos.delete(name);
  }

  /** A pod the informer shows bound to a node: confirms an assumed pod, or adds it. */
  addPod(pod: V1Pod): void {
    const info = podInfo(pod);
    const node = pod.spec?.nodeName ?? '';
    const state = this.pods.get(info.uid);
    if (state) this.detach(state);
    this.attach({ info, node, assumed: false });
  }

  /** A bound pod changed; cheap when only its status moved (the common kubelet update). */
  updatePod(pod: V1Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const state = this.pods.get(uid);
    const terminating =
      pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
    if (
      state &&
      !state.assumed &&
      state.node === pod.spec?.nodeName &&
      state.info.terminating === terminating &&
      sameLabels(state.info.labels, pod.metadata?.labels ?? {})
    ) {
      state.info.pod = pod;
      return;
    }
    this.addPod(pod);
  }

  removePod(uid: string): void {
    const state = this.pods.get(uid);
    if (state) this.detach(state);
  }

  /** Counts the pod against the node before its binding is written. */
  assume(info: PodInfo, node: string): void {
    const state = this.pods.get(info.uid);
    if (state) this.detach(state);
    this.attach({ info, node, assumed: true });
  }

  /** Drops an assumed pod whose binding failed; a pod the informer already confirmed stays. */
  forget(uid: string): void {
    const state = this.pods.get(uid);
    if (state?.assumed) this.detach(state);
  }

  isAssumed(uid: string): boolean {
    return this.pods.get(uid)?.assumed === true;
  }

  /** The node the cache holds the pod on, if any. */
  nodeOf(uid: string): string | undefined {
    return this.pods.get(uid)?.node;
  }

  private infoFor(name: string): NodeInfo {
    let info = this.infos.get(name);
    if (!info) {
      info = new NodeInfo(name);
      this.infos.set(name, info);
    }
    return info;
  }

  private forgetNodeFacts(info: NodeInfo): void {
    for (const image of info.imageSizes.keys()) {
      const count = (this.imageCounts.get(image) ?? 0) - 1;
      if (count > 0) this.imageCounts.set(image, count);
      else this.imageCounts.delete(image);
    }
    this.count(info, -1);
  }

  private count(info: NodeInfo, sign: 1 | -1): void {
    const tally = this.tally;
    if (!info.ready) tally.notReady += sign;
    if (info.unschedulable) tally.cordoned += sign;
    if (info.filterTaints.length > 0) tally.filterTainted += sign;
    if (info.preferNoScheduleTaints.length > 0) tally.preferNoScheduleTainted += sign;
  }

  private attach(state: PodState): void {
    this.pods.set(state.info.uid, state);
    const info = this.infoFor(state.node);
    info.addPod(state.info);
    this.trackAffinity(info);
  }

  private detach(state: PodState): void {
    this.pods.delete(state.info.uid);
    const info = this.infos.get(state.node);
    if (!info) return;
    info.removePod(state.info.uid);
    this.trackAffinity(info);
    if (!info.node && info.pods.size === 0) this.infos.delete(state.node);
  }

  private trackAffinity(info: NodeInfo): void {
    if (info.podsWithAffinity.size > 0) this.affinityNodes.add(info);
    else this.affinityNodes.delete(info);
    if (info.podsWithRequiredAntiAffinity.size > 0) this.antiAffinityNodes.add(info);
    else this.antiAffinityNodes.delete(info);
  }
}
