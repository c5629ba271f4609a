// One node as the scheduler sees it, kept up to date incrementally (kube-scheduler's NodeInfo):
// what the Node says (labels, taints, allocatable, images, readiness) and what its pods use
// (requests, non-zero requests for scoring, host ports, pods with affinity terms). Filters and
// scores read these aggregates instead of walking pods, so a scheduling decision costs O(nodes).

import type { V1Node, V1Taint } from '@kubernetes/client-node';
import { hasAffinityTerms, type PodInfo, wildcardIp } from './podInfo';
import { addResourceList, emptyResources, type Resources } from './podResources';
import { unitValue } from './quantity';

export class NodeInfo {
  node: V1Node | undefined;
  labels: Readonly<Record<string, string>> = {};
  unschedulable = false;
  ready = false;
  taints: readonly V1Taint[] = [];
  /** NoSchedule and NoExecute taints: the ones that filter. */
  filterTaints: readonly V1Taint[] = [];
  preferNoScheduleTaints: readonly V1Taint[] = [];
  allocatable: Resources = emptyResources();
  allowedPodCount = 0;
  /** Image name → size in bytes, every name of every image the node reports. */
  imageSizes: ReadonlyMap<string, number> = new Map();

  readonly pods = new Map<string, PodInfo>();
  readonly requested: Resources = emptyResources();
  readonly nonZeroRequested = { milliCpu: 0, memory: 0 };
  readonly podsWithAffinity = new Set<PodInfo>();
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();
  /** `protocol/port` → host IP → number of pods using it. */
  private readonly usedPorts = new Map<string, Map<string, number>>();

  constructor(readonly name: string) {}

  setNode(node: V1Node): void {
    this.node = node;
    this.labels = node.metadata?.labels ?? {};
    this.unschedulable = node.spec?.unschedulable === true;
    this.ready = (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    this.taints = node.spec?.taints ?? [];
    this.filterTaints = this.taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    this.preferNoScheduleTaints = this.taints.filter((t) => t.effect === 'PreferNoSchedule');
    const allocatable = node.status?.allocatable ?? {};
    this.allocatable = addResourceList(emptyResources(), allocatable);
    this.allowedPodCount = allocatable.pods === undefined ? 0 : unitValue(allocatable.pods);
    const images = new Map<string, number>();
    for (const image of node.status?.images ?? []) {
      for (const name of image.names ?? []) images.set(name, image.sizeBytes ?? 0);
    }
    this.imageSizes = images;
  }

  addPod(p: PodInfo): void {
    this.pods.set(p.uid, p);
    this.account(p, 1);
  }

  /** Removes the pod with this uid; returns it if it was here. */
  removePod(uid: string): PodInfo | undefined {
    const p = this.pods.get(uid);
    if (!p) return undefined;
    this.pods.delete(uid);
    this.account(p, -1);
    return p;
  }

  /** NodeInfo.Clone for what-if evaluation (preemption); the Node object is shared. */
  clone(): NodeInfo {
    const copy = new NodeInfo(this.name);
    if (this.node) copy.setNode(this.node);
    for (const p of this.pods.values()) copy.addPod(p);
    return copy;
  }

  /** HostPortInfo.CheckConflict: a wildcard IP conflicts with every IP on the same protocol/port. */
  portInUse(ip: string, protocol: string, port: number): boolean {
    const users = this.usedPorts.get(`${protocol}/${port}`);
    if (!users) return false;
    if (ip === wildcardIp) return users.size > 0;
    return users.has(ip) || users.has(wildcardIp);
  }

  private account(p: PodInfo, sign: 1 | -1): void {
    const r = p.requests;
    this.requested.milliCpu += sign * r.milliCpu;
    this.requested.memory += sign * r.memory;
    this.requested.ephemeralStorage += sign * r.ephemeralStorage;
    for (const [name, value] of r.scalars) {
      const next = (this.requested.scalars.get(name) ?? 0) + sign * value;
      if (next === 0) this.requested.scalars.delete(name);
      else this.requested.scalars.set(name, next);
    }
    this.nonZeroRequested.milliCpu += sign * p.nonZeroRequests.milliCpu;
    this.nonZeroRequested.memory += sign * p.nonZeroRequests.memory;
    for (const { ip, protocol, port } of p.hostPorts) {
      const key = `${protocol}/${port}`;
      let users = this.usedPorts.get(key);
      if (!users) {
        users = new Map();
        this.usedPorts.set(key, users);
      }
      const count = (users.get(ip) ?? 0) + sign;
      if (count > 0) users.set(ip, count);
      else users.delete(ip);
      if (users.size === 0) this.usedPorts.delete(key);
    }
    if (hasAffinityTerms(p)) {
      if (sign > 0) this.podsWithAffinity.add(p);
      else this.podsWithAffinity.delete(p);
    }
    if (p.requiredAntiAffinity.length > 0) {
      if (sign > 0) this.podsWithRequiredAntiAffinity.add(p);
      else this.podsWithRequiredAntiAffinity.delete(p);
    }
  }
}
