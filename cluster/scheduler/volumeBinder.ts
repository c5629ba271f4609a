// VolumeBinding's Reserve and PreBind: once a node is chosen, delayed (WaitForFirstConsumer)
// claims are bound there before the pod is: a matching available PV gets the claim in its
// claimRef, otherwise the claim gets the `volume.kubernetes.io/selected-node` annotation so the
// provisioner creates a volume on that node. The pod is bound only when every claim is Bound, as
// kube-scheduler waits (bindTimeoutSeconds, default 600 s).

import type { V1PersistentVolume, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import type { ClusterClient } from '../controllers/runtime/clusterClient';
import { objectKey } from '../controllers/runtime/objectKey';
import { resources } from '../controllers/runtime/resources';
import { boundByControllerAnnotation, claimReference } from '../controllers/volume/claimReference';
import type { NodeInfo } from './nodeInfo';
import { claimsOfPod, planDelayedClaims, type VolumeLookups } from './plugins/volumeBinding';

export const selectedNodeAnnotation = 'volume.kubernetes.io/selected-node';

export interface VolumePlan {
  claims: { claim: V1PersistentVolumeClaim; volume?: V1PersistentVolume }[];
}

export class VolumeBinder {
  private readonly reserved = new Set<string>();
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly client: ClusterClient,
    private readonly lookups: Omit<VolumeLookups, 'isVolumeReserved'>,
    private readonly timeoutMs: number,
  ) {}

  isVolumeReserved(name: string): boolean {
    return this.reserved.has(name);
  }

  /** Chooses what to bind for the pod's delayed claims on the node and reserves the PVs. */
  reserve(pod: V1Pod, node: NodeInfo): VolumePlan | undefined {
    const claims = claimsOfPod(pod, { ...this.lookups, isVolumeReserved: (n) => this.isVolumeReserved(n) });
    if (!claims || !('delayed' in claims) || claims.delayed.length === 0) return undefined;
    const plan = planDelayedClaims(claims, node, {
      ...this.lookups,
      isVolumeReserved: (n) => this.isVolumeReserved(n),
    });
    if (!plan) throw new Error(`no volumes for the claims of pod ${objectKey(pod)} on node ${node.name}`);
    for (const { volume } of plan) if (volume) this.reserved.add(volume.metadata?.name ?? '');
    return { claims: plan };
  }

  release(plan: VolumePlan | undefined): void {
    for (const { volume } of plan?.claims ?? []) this.reserved.delete(volume?.metadata?.name ?? '');
  }

  /** Writes the bindings and provisioning requests, then waits until every claim is Bound. */
  async bind(plan: VolumePlan, nodeName: string): Promise<void> {
    const claims = this.client.resource(resources.persistentVolumeClaims);
    const volumes = this.client.resource(resources.persistentVolumes);
    for (const { claim, volume } of plan.claims) {
      const meta = claim.metadata ?? {};
      if (volume) {
        await volumes.mutate(undefined, volume.metadata?.name ?? '', (live) => {
          const ref = live.spec?.claimRef;
          if (ref && (ref.name !== meta.name || ref.namespace !== meta.namespace)) {
            throw new Error(`persistentvolume ${live.metadata?.name} was bound to another claim`);
          }
          live.spec ??= {};
          live.spec.claimRef = claimReference(claim);
          live.metadata ??= {};
          live.metadata.annotations = { ...live.metadata.annotations, [boundByControllerAnnotation]: 'yes' };
          return live;
        });
      } else {
        await claims.mutate(meta.namespace, meta.name ?? '', (live) => {
          if (live.metadata?.annotations?.[selectedNodeAnnotation] === nodeName) return undefined;
          live.metadata ??= {};
          live.metadata.annotations = { ...live.metadata.annotations, [selectedNodeAnnotation]: nodeName };
          return live;
        });
      }
    }
    await Promise.all(plan.claims.map(({ claim }) => this.waitBound(claim)));
  }

  /** Informer hook: a claim changed. */
  claimChanged(claim: V1PersistentVolumeClaim): void {
    const waiting = this.waiters.get(objectKey(claim));
    if (waiting) for (const wake of [...waiting]) wake();
  }

  private waitBound(claim: V1PersistentVolumeClaim): Promise<void> {
    const key = objectKey(claim);
    const namespace = claim.metadata?.namespace ?? 'default';
    const name = claim.metadata?.name ?? '';
    return new Promise((resolve, reject) => {
      const waiting = this.waiters.get(key) ?? new Set();
      this.waiters.set(key, waiting);
      const finish = (err?: Error) => {
        clearTimeout(timer);
        waiting.delete(check);
        if (waiting.size === 0) this.waiters.delete(key);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        const live = this.lookups.claim(namespace, name);
        if (!live) finish(new Error(`persistentvolumeclaim "${name}" not found`));
        else if (live.status?.phase === 'Bound' && live.spec?.volumeName) finish();
      };
      const timer = setTimeout(
        () =>
          finish(
            new Error(`binding volumes: timed out waiting for persistentvolumeclaim "${name}" to be bound`),
          ),
        this.timeoutMs,
      );
      timer.unref();
      waiting.add(check);
      check();
    });
  }
}
