// The pvc-protection controller, as kube-controller-manager's: puts the
// `kubernetes.io/pvc-protection` finalizer on every claim lacking it, and takes it off a claim
// being deleted once no pod uses it any more. A pod uses a claim while it is scheduled and not
// shut down (finished, or deleted with no grace left once the kubelet let go of it); the cache's
// "unused" is confirmed with a live list, since removing the finalizer cannot be taken back.
// https://github.com/kubernetes/kubernetes/tree/master/pkg/controller/volume/pvcprotection

import type { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { addFinalizer, pvcProtectionFinalizer } from '../../registry/strategies/storageObjectInUseProtection';
import type { ControllerFactory } from '../runtime/controllerContext';
import { objectKey, splitKey } from '../runtime/objectKey';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';

export const pvcProtectionControllerName = 'pvc-protection';
const byClaim = 'claim';

/** Claims a pod's volumes name, ephemeral ones by their generated name (`<pod>-<volume>`). */
export function claimNamesOf(pod: V1Pod): string[] {
  const names: string[] = [];
  for (const volume of pod.spec?.volumes ?? []) {
    if (volume.persistentVolumeClaim) names.push(volume.persistentVolumeClaim.claimName);
    else if (volume.ephemeral) names.push(`${pod.metadata?.name}-${volume.name}`);
  }
  return names;
}

/** The kubelet is done with the pod: it finished, or was deleted with no grace period left. */
export function podIsShutDown(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return true;
  return Boolean(pod.metadata?.deletionTimestamp) && pod.metadata?.deletionGracePeriodSeconds === 0;
}

/** Unscheduled pods do not count: neither the scheduler nor the kubelet starts one on a claim being deleted. */
export function podUsesClaim(pod: V1Pod, claim: V1PersistentVolumeClaim): boolean {
  if (!pod.spec?.nodeName || podIsShutDown(pod)) return false;
  if (pod.metadata?.namespace !== claim.metadata?.namespace) return false;
  return claimNamesOf(pod).includes(claim.metadata?.name ?? '');
}

export const pvcProtectionController: ControllerFactory = (ctx) => {
  const claims = ctx.informers.for(resources.persistentVolumeClaims);
  const pods = ctx.informers.for(resources.pods);
  const claimClient = ctx.client.resource(resources.persistentVolumeClaims);
  const podClient = ctx.client.resource(resources.pods);
  if (!pods.hasIndex(byClaim)) {
    pods.addIndex(byClaim, (pod) =>
      claimNamesOf(pod).map((name) => `${pod.metadata?.namespace ?? ''}/${name}`),
    );
  }

  async function inUse(claim: V1PersistentVolumeClaim): Promise<boolean> {
    const key = objectKey(claim);
    if (pods.byIndex(byClaim, key).some((pod) => podUsesClaim(pod, claim))) return true;
    const live = await podClient.list(claim.metadata?.namespace);
    return live.items.some((pod) => podUsesClaim(pod, claim));
  }

  async function reconcile(key: string): Promise<void> {
    const claim = claims.getByKey(key);
    if (!claim) return;
    const { namespace, name } = splitKey(key);
    const finalizers = claim.metadata?.finalizers ?? [];
    if (!claim.metadata?.deletionTimestamp) {
      if (finalizers.includes(pvcProtectionFinalizer)) return;
      await claimClient.mutate(namespace, name, (live) => {
        if (live.metadata?.deletionTimestamp) return undefined;
        if (live.metadata?.finalizers?.includes(pvcProtectionFinalizer)) return undefined;
        addFinalizer(live, pvcProtectionFinalizer);
        return live;
      });
      return;
    }
    if (!finalizers.includes(pvcProtectionFinalizer) || (await inUse(claim))) return;
    await claimClient.mutate(namespace, name, (live) => {
      const current = live.metadata?.finalizers ?? [];
      if (!current.includes(pvcProtectionFinalizer) || !live.metadata) return undefined;
      live.metadata.finalizers = current.filter((f) => f !== pvcProtectionFinalizer);
      return live;
    });
  }

  const controller = queueController({ name: pvcProtectionControllerName, log: ctx.log, reconcile });
  const enqueue = (claim: V1PersistentVolumeClaim) => controller.queue.add(objectKey(claim));
  claims.addHandlers({ onAdd: enqueue, onUpdate: (_old, claim) => enqueue(claim) });

  // A pod letting go of a claim matters only to claims waiting to be deleted.
  const podChanged = (pod: V1Pod) => {
    for (const name of claimNamesOf(pod)) {
      const claim = claims.get(pod.metadata?.namespace, name);
      if (claim?.metadata?.deletionTimestamp) enqueue(claim);
    }
  };
  pods.addHandlers({ onAdd: podChanged, onUpdate: (_old, pod) => podChanged(pod), onDelete: podChanged });
  return controller;
};
