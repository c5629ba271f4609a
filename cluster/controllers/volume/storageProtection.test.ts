// Storage object in-use protection: claims and volumes carry their finalizers from creation; a
// claim a scheduled pod uses stays Terminating until the pod is done with it, and a volume stays
// while it is Bound.

import type { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import {
  pvcProtectionFinalizer,
  pvProtectionFinalizer,
} from '../../registry/strategies/storageObjectInUseProtection';
import type { QueueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { persistentVolumeController } from './persistentVolumeController';
import { podIsShutDown, podUsesClaim, pvcProtectionController } from './pvcProtectionController';
import { pvProtectionController } from './pvProtectionController';

let h: ControllerHarness;

const claims = () => h.ctx.client.resource(resources.persistentVolumeClaims);
const volumes = () => h.ctx.client.resource(resources.persistentVolumes);
const pods = () => h.ctx.client.resource(resources.pods);

function claim(name: string): V1PersistentVolumeClaim {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      storageClassName: 'manual',
    },
  };
}

function podUsing(name: string, claimName: string, nodeName?: string): V1Pod {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: [{ name: 'app', image: 'busybox' }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    },
  };
}

/** Waits until the controller's cache shows `ready` and it has acted on everything queued. */
async function settled(controllerName: string, ready: () => boolean): Promise<void> {
  await eventually(ready, 10_000, `${controllerName} cache`);
  const controller = h.manager.controllers.find((c) => c.name === controllerName) as QueueController;
  await controller.queue.idle();
}

const cachedClaim = (name: string) =>
  h.ctx.informers.for(resources.persistentVolumeClaims).get('default', name);

describe('which pods hold a claim', () => {
  const data = claim('data');
  it('counts scheduled pods that are not shut down', () => {
    expect(podUsesClaim(podUsing('a', 'data', 'n1'), data)).toBe(true);
    expect(podUsesClaim(podUsing('a', 'data'), data)).toBe(false);
    expect(podUsesClaim(podUsing('a', 'other', 'n1'), data)).toBe(false);
    const finished = podUsing('a', 'data', 'n1');
    finished.status = { phase: 'Succeeded' };
    expect(podUsesClaim(finished, data)).toBe(false);
  });

  it('counts a pod being deleted until no grace period is left', () => {
    const going = podUsing('a', 'data', 'n1');
    going.metadata = { ...going.metadata, deletionTimestamp: new Date(), deletionGracePeriodSeconds: 30 };
    expect(podIsShutDown(going)).toBe(false);
    going.metadata.deletionGracePeriodSeconds = 0;
    expect(podIsShutDown(going)).toBe(true);
  });

  it('names ephemeral claims after the pod and volume', () => {
    const pod = podUsing('web', 'unused', 'n1');
    pod.spec?.volumes?.push({ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } });
    expect(podUsesClaim(pod, claim('web-scratch'))).toBe(true);
  });
});

describe('storage object in-use protection', () => {
  afterEach(async () => {
    await h.stop();
  });

  it('keeps a claim in use Terminating until its pod is gone', async () => {
    h = await startControllerHarness([pvcProtectionController]);
    const created = await claims().create(claim('data'));
    expect(created.metadata?.finalizers).toEqual([pvcProtectionFinalizer]);
    // Pods on a node that exists are deleted gracefully.
    await h.ctx.client.resource(resources.nodes).create({ metadata: { name: 'node-1' } });
    await pods().create(podUsing('user', 'data', 'node-1'));
    await pods().create(podUsing('idle', 'data'));
    await eventually(() => h.ctx.informers.for(resources.pods).list('default').length === 2);

    await claims().delete('default', 'data');
    await settled('pvc-protection', () => Boolean(cachedClaim('data')?.metadata?.deletionTimestamp));
    const terminating = await claims().get('default', 'data');
    expect(terminating?.metadata?.deletionTimestamp).toBeDefined();
    expect(terminating?.metadata?.finalizers).toEqual([pvcProtectionFinalizer]);

    // Graceful deletion leaves the pod running (and using the claim) until its kubelet is done.
    await pods().delete('default', 'user', { gracePeriodSeconds: 30 });
    await settled('pvc-protection', () => {
      const pod = h.ctx.informers.for(resources.pods).get('default', 'user');
      return Boolean(pod?.metadata?.deletionTimestamp);
    });
    expect((await claims().get('default', 'data'))?.metadata?.finalizers).toEqual([pvcProtectionFinalizer]);

    await pods().delete('default', 'user', { gracePeriodSeconds: 0 });
    await eventually(async () => (await claims().get('default', 'data')) === undefined, 10_000, 'claim gone');
  });

  it('deletes an unused claim at once and protects claims created without the finalizer', async () => {
    h = await startControllerHarness([pvcProtectionController]);
    await claims().create(claim('free'));
    await claims().delete('default', 'free');
    await eventually(async () => (await claims().get('default', 'free')) === undefined, 10_000, 'claim gone');

    await claims().create(claim('bare'));
    await claims().mutate('default', 'bare', (live) => {
      if (live.metadata) live.metadata.finalizers = [];
      return live;
    });
    const protectedAgain = await eventually(async () => {
      const live = await claims().get('default', 'bare');
      return live?.metadata?.finalizers?.includes(pvcProtectionFinalizer) && live;
    });
    expect(protectedAgain.metadata?.finalizers).toEqual([pvcProtectionFinalizer]);
  });

  it('keeps a Bound volume until its claim is gone', async () => {
    h = await startControllerHarness([
      persistentVolumeController,
      pvcProtectionController,
      pvProtectionController,
    ]);
    const pv = await volumes().create({
      metadata: { name: 'disk' },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        hostPath: { path: '/data/disk' },
        storageClassName: 'manual',
      },
    });
    expect(pv.metadata?.finalizers).toEqual([pvProtectionFinalizer]);
    await claims().create(claim('data'));
    await eventually(async () => (await volumes().get(undefined, 'disk'))?.status?.phase === 'Bound');

    await volumes().delete(undefined, 'disk');
    await settled('pv-protection', () =>
      Boolean(
        h.ctx.informers.for(resources.persistentVolumes).get(undefined, 'disk')?.metadata?.deletionTimestamp,
      ),
    );
    const held = await volumes().get(undefined, 'disk');
    expect(held?.metadata?.finalizers).toEqual([pvProtectionFinalizer]);
    expect(held?.status?.phase).toBe('Bound');

    await claims().delete('default', 'data');
    await eventually(
      async () => (await volumes().get(undefined, 'disk')) === undefined,
      10_000,
      'volume gone',
    );
  });
});
