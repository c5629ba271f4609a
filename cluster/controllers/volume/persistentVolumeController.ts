// The persistent volume controller, as kube-controller-manager's binder plus the built-in
// local-path provisioner:
// - claims bind to a matching Available volume (or one pre-bound to them, e.g. by the scheduler);
//   otherwise classes with the local-path provisioner get a new volume, at once for Immediate
//   classes and once the scheduler names a node (`volume.kubernetes.io/selected-node`) for
//   WaitForFirstConsumer ones;
// - claims without a class get the default one when it appears (retroactive default);
// - phases: volumes Available/Bound/Released/Failed, claims Pending/Bound/Lost; a Released volume
//   with reclaim policy Delete that we provisioned is deleted, Retain keeps it.
// https://kubernetes.io/docs/concepts/storage/persistent-volumes/
//
// One queue carries `claim/<namespace>/<name>` and `volume/<name>` keys.

import type { V1PersistentVolume, V1PersistentVolumeClaim, V1StorageClass } from '@kubernetes/client-node';
import { defaultStorageClassName } from '../../api/rest/defaultStorageClass';
import { timestamp } from '../../api/rest/restContext';
import { isApiError } from '../../api/status';
import type { LabelledNode } from '../../scheduler/nodeSelectors';
import { selectedNodeAnnotation } from '../../scheduler/volumeBinder';
import type { ControllerFactory } from '../runtime/controllerContext';
import { objectKey, splitKey } from '../runtime/objectKey';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { boundByControllerAnnotation, claimReference } from './claimReference';
import {
  hostnameLabel,
  localPathProvisioner,
  localPathVolume,
  provisionedByAnnotation,
} from './localPathVolume';
import { findMatchingVolume, refersTo } from './volumeMatching';

export const bindCompletedAnnotation = 'pv.kubernetes.io/bind-completed';
const storageProvisionerAnnotation = 'volume.kubernetes.io/storage-provisioner';
const noProvisioner = 'kubernetes.io/no-provisioner';

type ClaimPhase = 'Pending' | 'Bound' | 'Lost';
type VolumePhase = 'Available' | 'Bound' | 'Released' | 'Failed';

function annotated(obj: { metadata?: { annotations?: Record<string, string> } }, key: string): boolean {
  return obj.metadata?.annotations?.[key] !== undefined;
}

export const persistentVolumeController: ControllerFactory = (ctx) => {
  const claims = ctx.informers.for(resources.persistentVolumeClaims);
  const volumes = ctx.informers.for(resources.persistentVolumes);
  const classes = ctx.informers.for(resources.storageClasses);
  const nodes = ctx.informers.for(resources.nodes);
  const claimClient = ctx.client.resource(resources.persistentVolumeClaims);
  const volumeClient = ctx.client.resource(resources.persistentVolumes);
  const recorder = ctx.recorder('persistentvolume-controller');

  const controller = queueController({
    name: 'persistentvolume-binder',
    log: ctx.log,
    reconcile: async (key) => {
      const slash = key.indexOf('/');
      const rest = key.slice(slash + 1);
      if (key.slice(0, slash) === 'volume') return syncVolume(rest);
      const { namespace, name } = splitKey(rest);
      return syncClaim(namespace ?? 'default', name);
    },
  });
  const enqueueClaim = (namespace: string | undefined, name: string | undefined) => {
    if (namespace && name) controller.queue.add(`claim/${namespace}/${name}`);
  };
  const enqueueVolume = (name: string | undefined) => {
    if (name) controller.queue.add(`volume/${name}`);
  };

  // ---- claims

  async function syncClaim(namespace: string, name: string): Promise<void> {
    const claim = claims.get(namespace, name);
    if (!claim || claim.metadata?.deletionTimestamp) return;
    if (claim.spec?.volumeName) await syncBoundClaim(claim, claim.spec.volumeName);
    else await syncUnboundClaim(claim);
  }

  async function syncUnboundClaim(claim: V1PersistentVolumeClaim): Promise<void> {
    const meta = claim.metadata ?? {};
    if (claim.spec?.storageClassName === undefined || claim.spec.storageClassName === null) {
      const fallback = defaultStorageClassName(classes.list());
      if (fallback) {
        await claimClient.mutate(meta.namespace, meta.name ?? '', (live) => {
          if (live.spec?.storageClassName !== undefined && live.spec.storageClassName !== null)
            return undefined;
          live.spec = { ...live.spec, storageClassName: fallback };
          return live;
        });
        return;
      }
    }
    const className = claim.spec?.storageClassName ?? '';
    const storageClass = className ? classes.get(undefined, className) : undefined;
    const delayed = storageClass?.volumeBindingMode === 'WaitForFirstConsumer';
    const nodeName = meta.annotations?.[selectedNodeAnnotation];
    if (delayed && !nodeName) {
      recorder.event(
        claim,
        'Normal',
        'WaitForFirstConsumer',
        'waiting for first consumer to be created before binding',
      );
      await setClaimPhase(claim, 'Pending');
      return;
    }
    const node = nodeName && delayed ? labelledNode(nodeName) : undefined;
    const volume = findMatchingVolume(claim, volumes.list(), node);
    if (volume) {
      await bind(volume, claim);
      return;
    }
    const provisioner = storageClass?.provisioner;
    if (storageClass && provisioner === localPathProvisioner && !claim.spec?.selector) {
      await provision(claim, storageClass, node);
    } else if (storageClass && provisioner && provisioner !== noProvisioner && !claim.spec?.selector) {
      await claimClient.mutate(meta.namespace, meta.name ?? '', (live) => {
        if (live.metadata?.annotations?.[storageProvisionerAnnotation] === provisioner) return undefined;
        live.metadata = {
          ...live.metadata,
          annotations: { ...live.metadata?.annotations, [storageProvisionerAnnotation]: provisioner },
        };
        return live;
      });
      recorder.event(
        claim,
        'Normal',
        'ExternalProvisioning',
        `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      );
    } else if (className && !storageClass) {
      recorder.event(
        claim,
        'Warning',
        'ProvisioningFailed',
        `storageclass.storage.k8s.io "${className}" not found`,
      );
    } else if (!className) {
      recorder.event(
        claim,
        'Normal',
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
      );
    }
    await setClaimPhase(claim, 'Pending');
  }

  async function syncBoundClaim(claim: V1PersistentVolumeClaim, volumeName: string): Promise<void> {
    const volume = volumes.get(undefined, volumeName) ?? (await volumeClient.get(undefined, volumeName));
    if (!volume) {
      if (claim.status?.phase === 'Bound' || annotated(claim, bindCompletedAnnotation)) {
        recorder.event(
          claim,
          'Warning',
          'ClaimLost',
          'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!',
        );
        await setClaimPhase(claim, 'Lost');
      } else {
        await setClaimPhase(claim, 'Pending');
      }
      return;
    }
    const ref = volume.spec?.claimRef;
    if (!ref || refersTo(ref, claim)) {
      await bind(volume, claim);
      return;
    }
    if (annotated(claim, bindCompletedAnnotation)) {
      recorder.event(
        claim,
        'Warning',
        'ClaimMisbound',
        'Two claims are bound to the same volume, this one is bound incorrectly',
      );
      await setClaimPhase(claim, 'Lost');
    } else {
      recorder.event(
        claim,
        'Warning',
        'FailedBinding',
        `volume "${volumeName}" already bound to a different claim.`,
      );
      await setClaimPhase(claim, 'Pending');
    }
  }

  function labelledNode(name: string): LabelledNode & { hostname: string } {
    const labels = nodes.get(undefined, name)?.metadata?.labels ?? { [hostnameLabel]: name };
    return { name, labels, hostname: labels[hostnameLabel] ?? name };
  }

  async function provision(
    claim: V1PersistentVolumeClaim,
    storageClass: V1StorageClass,
    node: (LabelledNode & { hostname: string }) | undefined,
  ): Promise<void> {
    if (!claim.spec?.resources?.requests?.storage) {
      recorder.event(claim, 'Warning', 'ProvisioningFailed', 'claim has no storage request');
      return;
    }
    const pv = localPathVolume(claim, storageClass, node);
    try {
      await volumeClient.create(pv);
    } catch (err) {
      // Provisioned before (a retry, or a stale cache): binding picks it up.
      if (!isApiError(err) || err.code !== 409) throw err;
      return;
    }
    recorder.event(
      claim,
      'Normal',
      'ProvisioningSucceeded',
      `Successfully provisioned volume ${pv.metadata?.name} using ${localPathProvisioner}`,
    );
  }

  /** Completes a binding from whatever part is done; each step writes only what is missing. */
  async function bind(volume: V1PersistentVolume, claim: V1PersistentVolumeClaim): Promise<void> {
    const claimMeta = claim.metadata ?? {};
    const volumeName = volume.metadata?.name ?? '';
    const bound = await volumeClient.mutate(undefined, volumeName, (live) => {
      const ref = live.spec?.claimRef;
      if (ref && !refersTo(ref, claim)) throw new Error(`volume ${volumeName} is bound to another claim`);
      if (ref?.uid === claimMeta.uid) return undefined;
      live.spec = {
        ...live.spec,
        claimRef: claimReference(claim),
      };
      if (!ref) {
        live.metadata = {
          ...live.metadata,
          annotations: { ...live.metadata?.annotations, [boundByControllerAnnotation]: 'yes' },
        };
      }
      return live;
    });
    if (!bound) return;
    await setVolumePhase(bound, 'Bound');
    const boundClaim = await claimClient.mutate(claimMeta.namespace, claimMeta.name ?? '', (live) => {
      if (live.metadata?.uid !== claimMeta.uid) return undefined;
      const annotations = { ...live.metadata?.annotations };
      const complete = live.spec?.volumeName === volumeName && annotations[bindCompletedAnnotation] === 'yes';
      if (complete) return undefined;
      if (live.spec?.volumeName !== volumeName) annotations[boundByControllerAnnotation] = 'yes';
      annotations[bindCompletedAnnotation] = 'yes';
      live.spec = { ...live.spec, volumeName };
      live.metadata = { ...live.metadata, annotations };
      return live;
    });
    if (!boundClaim) return;
    await claimClient.mutate(
      claimMeta.namespace,
      claimMeta.name ?? '',
      (live) => {
        const status = live.status ?? {};
        const capacity = bound.spec?.capacity;
        const modes = bound.spec?.accessModes;
        if (status.phase === 'Bound' && JSON.stringify(status.capacity) === JSON.stringify(capacity))
          return undefined;
        live.status = { ...status, phase: 'Bound', capacity, accessModes: modes };
        return live;
      },
      { subresource: 'status' },
    );
  }

  async function setClaimPhase(claim: V1PersistentVolumeClaim, phase: ClaimPhase): Promise<void> {
    if (claim.status?.phase === phase) return;
    await claimClient.mutate(
      claim.metadata?.namespace,
      claim.metadata?.name ?? '',
      (live) => {
        if (live.status?.phase === phase) return undefined;
        live.status = { ...live.status, phase };
        return live;
      },
      { subresource: 'status' },
    );
  }

  // ---- volumes

  async function syncVolume(name: string): Promise<void> {
    // A volume being deleted is still synced: pv-protection holds it until it leaves Bound.
    const volume = volumes.get(undefined, name);
    if (!volume) return;
    const ref = volume.spec?.claimRef;
    if (!ref) {
      await setVolumePhase(volume, 'Available');
      return;
    }
    if (!ref.uid) {
      // Pre-bound by name to a claim that has not bound yet: reserved for it.
      await setVolumePhase(volume, 'Available');
      enqueueClaim(ref.namespace, ref.name);
      return;
    }
    const claim =
      claims.get(ref.namespace, ref.name ?? '') ?? (await claimClient.get(ref.namespace, ref.name ?? ''));
    if (claim && claim.metadata?.uid === ref.uid) {
      const claimVolume = claim.spec?.volumeName;
      if (!claimVolume) {
        enqueueClaim(ref.namespace, ref.name);
      } else if (claimVolume === name) {
        await setVolumePhase(volume, 'Bound');
      } else {
        // The claim went to another volume: give this one back (a user's pre-binding keeps the name).
        await volumeClient.mutate(undefined, name, (live) => {
          if (live.spec?.claimRef?.uid !== ref.uid) return undefined;
          if (annotated(live, boundByControllerAnnotation)) {
            const { claimRef: _dropped, ...spec } = live.spec ?? {};
            live.spec = spec;
            const { [boundByControllerAnnotation]: _a, ...annotations } = live.metadata?.annotations ?? {};
            live.metadata = { ...live.metadata, annotations };
          } else if (live.spec?.claimRef) {
            live.spec.claimRef = { ...live.spec.claimRef, uid: '' };
          }
          return live;
        });
      }
      return;
    }
    await reclaim(volume);
  }

  /** The volume's claim is gone: Released, then what its reclaim policy says. */
  async function reclaim(volume: V1PersistentVolume): Promise<void> {
    const name = volume.metadata?.name ?? '';
    const policy = volume.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') {
      await setVolumePhase(volume, 'Released');
    }
    if (policy === 'Retain' || volume.status?.phase === 'Failed' || volume.metadata?.deletionTimestamp)
      return;
    if (policy === 'Delete') {
      const provisioner = volume.metadata?.annotations?.[provisionedByAnnotation];
      if (provisioner === localPathProvisioner) {
        await volumeClient.delete(undefined, name, { preconditions: { uid: volume.metadata?.uid } });
      } else if (!provisioner) {
        recorder.event(
          volume,
          'Warning',
          'VolumeFailedDelete',
          `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`,
        );
        await setVolumePhase(volume, 'Failed');
      }
      // Another provisioner's volume waits for that provisioner to delete it.
      return;
    }
    recorder.event(volume, 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
    await setVolumePhase(volume, 'Failed');
  }

  async function setVolumePhase(volume: V1PersistentVolume, phase: VolumePhase): Promise<void> {
    if (volume.status?.phase === phase) return;
    await volumeClient.mutate(
      undefined,
      volume.metadata?.name ?? '',
      (live) => {
        if (live.status?.phase === phase) return undefined;
        live.status = {
          ...live.status,
          phase,
          lastPhaseTransitionTime: timestamp(ctx.clock.now()) as unknown as Date,
        };
        return live;
      },
      { subresource: 'status' },
    );
  }

  // ---- wiring

  claims.addHandlers({
    onAdd: (c) => enqueueClaim(c.metadata?.namespace, c.metadata?.name),
    onUpdate: (_old, c) => enqueueClaim(c.metadata?.namespace, c.metadata?.name),
    onDelete: (c) => {
      enqueueVolume(c.spec?.volumeName);
      for (const pv of volumes.list()) {
        if (pv.spec?.claimRef?.uid === c.metadata?.uid) enqueueVolume(pv.metadata?.name);
      }
    },
  });
  const volumeChanged = (pv: V1PersistentVolume) => {
    enqueueVolume(pv.metadata?.name);
    const ref = pv.spec?.claimRef;
    if (ref) enqueueClaim(ref.namespace, ref.name);
  };
  volumes.addHandlers({
    onAdd: volumeChanged,
    onUpdate: (_old, pv) => volumeChanged(pv),
    onDelete: (pv) => {
      const ref = pv.spec?.claimRef;
      if (ref) enqueueClaim(ref.namespace, ref.name);
    },
  });
  // A class appearing or changing may let waiting claims bind, provision, or get a default class.
  const classChanged = () => {
    for (const c of claims.list()) if (!c.spec?.volumeName) controller.queue.add(`claim/${objectKey(c)}`);
  };
  classes.addHandlers({ onAdd: classChanged, onUpdate: classChanged });
  return controller;
};
