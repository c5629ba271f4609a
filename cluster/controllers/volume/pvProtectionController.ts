// The pv-protection controller, as kube-controller-manager's: puts the
// `kubernetes.io/pv-protection` finalizer on every volume lacking it, and takes it off a volume
// being deleted once it is no longer Bound to a claim.
// https://github.com/kubernetes/kubernetes/tree/master/pkg/controller/volume/pvprotection

import type { V1PersistentVolume } from '@kubernetes/client-node';
import { addFinalizer, pvProtectionFinalizer } from '../../registry/strategies/storageObjectInUseProtection';
import type { ControllerFactory } from '../runtime/controllerContext';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';

export const pvProtectionControllerName = 'pv-protection';

export const pvProtectionController: ControllerFactory = (ctx) => {
  const volumes = ctx.informers.for(resources.persistentVolumes);
  const client = ctx.client.resource(resources.persistentVolumes);

  async function reconcile(name: string): Promise<void> {
    const volume = volumes.get(undefined, name);
    if (!volume) return;
    const protectedNow = volume.metadata?.finalizers?.includes(pvProtectionFinalizer) ?? false;
    if (!volume.metadata?.deletionTimestamp) {
      if (protectedNow) return;
      await client.mutate(undefined, name, (live) => {
        if (live.metadata?.deletionTimestamp) return undefined;
        if (live.metadata?.finalizers?.includes(pvProtectionFinalizer)) return undefined;
        addFinalizer(live, pvProtectionFinalizer);
        return live;
      });
      return;
    }
    if (!protectedNow || volume.status?.phase === 'Bound') return;
    await client.mutate(undefined, name, (live) => {
      const current = live.metadata?.finalizers ?? [];
      if (!current.includes(pvProtectionFinalizer) || live.status?.phase === 'Bound' || !live.metadata)
        return undefined;
      live.metadata.finalizers = current.filter((f) => f !== pvProtectionFinalizer);
      return live;
    });
  }

  const controller = queueController({ name: pvProtectionControllerName, log: ctx.log, reconcile });
  const enqueue = (volume: V1PersistentVolume) => controller.queue.add(volume.metadata?.name ?? '');
  volumes.addHandlers({ onAdd: enqueue, onUpdate: (_old, volume) => enqueue(volume) });
  return controller;
};
