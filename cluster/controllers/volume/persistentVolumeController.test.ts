// Claims bind to matching volumes or get local-path volumes provisioned (at once, or on the node
// the scheduler picks), phases follow, and volumes are reclaimed when their claim goes.

import type { CoreV1Event, V1PersistentVolume, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { selectedNodeAnnotation } from '../../scheduler/volumeBinder';
import type { ControllerFactory } from '../runtime/controllerContext';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { defaultStorageClassController } from './defaultStorageClass';
import { persistentVolumeController } from './persistentVolumeController';
import { pvcProtectionController } from './pvcProtectionController';
import { pvProtectionController } from './pvProtectionController';

let h: ControllerHarness;

async function start(
  factories: ControllerFactory[] = [
    persistentVolumeController,
    defaultStorageClassController,
    pvcProtectionController,
    pvProtectionController,
  ],
) {
  h = await startControllerHarness(factories);
  return h;
}

afterEach(async () => {
  await h.stop();
});

const claims = () => h.ctx.client.resource(resources.persistentVolumeClaims);
const volumes = () => h.ctx.client.resource(resources.persistentVolumes);
const classes = () => h.ctx.client.resource(resources.storageClasses);

function claim(name: string, spec: Partial<V1PersistentVolumeClaim['spec']> = {}): V1PersistentVolumeClaim {
  return {
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  };
}

function volume(
  name: string,
  size: string,
  extra: Partial<V1PersistentVolume['spec']> = {},
  labels?: Record<string, string>,
) {
  return volumes().create({
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: {
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
      hostPath: { path: `/data/${name}` },
      storageClassName: 'manual',
      ...extra,
    },
  });
}

async function claimWhere(name: string, check: (c: V1PersistentVolumeClaim) => boolean) {
  return eventually(
    async () => {
      const c = await claims().get('default', name);
      return c && check(c) ? c : undefined;
    },
    10_000,
    `claim ${name}`,
  );
}

async function volumeWhere(name: string, check: (v: V1PersistentVolume) => boolean) {
  return eventually(
    async () => {
      const v = await volumes().get(undefined, name);
      return v && check(v) ? v : undefined;
    },
    10_000,
    `volume ${name}`,
  );
}

async function eventsFor(name: string): Promise<CoreV1Event[]> {
  const { items } = await h.ctx.client.resource(resources.events).list('default');
  return items.filter((e) => e.involvedObject.name === name);
}

describe('default storage class', () => {
  it('creates `standard` and gives it to claims created without a class', async () => {
    await start();
    const standard = await eventually(() => classes().get(undefined, 'standard'));
    expect(standard).toMatchObject({
      metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'kubedesk.io/local-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    const created = await claims().create(claim('data'));
    expect(created.spec?.storageClassName).toBe('standard');
    const none = await claims().create(claim('classless', { storageClassName: '' }));
    expect(none.spec?.storageClassName).toBe('');
  });

  it('assigns a default class that appears after the claim', async () => {
    await start([persistentVolumeController]);
    await claims().create(claim('early'));
    await classes().create({
      metadata: { name: 'late', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'example.com/nfs',
    });
    await claimWhere('early', (c) => c.spec?.storageClassName === 'late');
  });
});

describe('binding', () => {
  it('binds a claim to the smallest matching available volume', async () => {
    await start();
    await volume('small', '500Mi');
    await volume('right', '2Gi');
    await volume('large', '10Gi');
    await volume('wrong-mode', '2Gi', { accessModes: ['ReadWriteMany'] });
    await volumeWhere('right', (v) => v.status?.phase === 'Available');
    const created = await claims().create(claim('db', { storageClassName: 'manual' }));
    const bound = await claimWhere('db', (c) => c.status?.phase === 'Bound');
    expect(bound.spec?.volumeName).toBe('right');
    expect(bound.metadata?.annotations).toMatchObject({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    });
    expect(bound.status?.capacity).toEqual({ storage: '2Gi' });
    expect(bound.status?.accessModes).toEqual(['ReadWriteOnce', 'ReadOnlyMany']);
    const pv = await volumeWhere('right', (v) => v.status?.phase === 'Bound');
    expect(pv.spec?.claimRef).toMatchObject({
      kind: 'PersistentVolumeClaim',
      name: 'db',
      uid: created.metadata?.uid,
    });
    expect((await volumes().get(undefined, 'small'))?.status?.phase).toBe('Available');
  });

  it('honours the claim selector and a volume pre-bound to the claim', async () => {
    await start();
    await volume('fast', '1Gi', {}, { speed: 'fast' });
    await volume('slow', '1Gi', {}, { speed: 'slow' });
    await volume('reserved', '5Gi', { claimRef: { namespace: 'default', name: 'mine' } });
    await claims().create(
      claim('picky', { storageClassName: 'manual', selector: { matchLabels: { speed: 'slow' } } }),
    );
    await claims().create(claim('mine', { storageClassName: 'manual' }));
    expect((await claimWhere('picky', (c) => c.status?.phase === 'Bound')).spec?.volumeName).toBe('slow');
    expect((await claimWhere('mine', (c) => c.status?.phase === 'Bound')).spec?.volumeName).toBe('reserved');
  });

  it('leaves a claim Pending when nothing matches and no class can provision', async () => {
    await start();
    await claims().create(claim('lonely', { storageClassName: '' }));
    await eventually(async () => (await eventsFor('lonely')).some((e) => e.reason === 'FailedBinding'));
    expect((await claims().get('default', 'lonely'))?.status?.phase).toBe('Pending');
  });
});

describe('local-path provisioning', () => {
  it('waits for the first consumer, then provisions on the selected node', async () => {
    await start();
    await eventually(() => classes().get(undefined, 'standard'));
    const created = await claims().create(claim('web-data'));
    await eventually(async () =>
      (await eventsFor('web-data')).some((e) => e.reason === 'WaitForFirstConsumer'),
    );
    expect(await volumes().list()).toMatchObject({ items: [] });

    await claims().mutate('default', 'web-data', (c) => {
      c.metadata = { ...c.metadata, annotations: { [selectedNodeAnnotation]: 'sim-node-2' } };
      return c;
    });
    const bound = await claimWhere('web-data', (c) => c.status?.phase === 'Bound');
    const name = `pvc-${created.metadata?.uid}`;
    expect(bound.spec?.volumeName).toBe(name);
    const pv = await volumeWhere(name, (v) => v.status?.phase === 'Bound');
    expect(pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by']).toBe('kubedesk.io/local-path');
    expect(pv.spec).toMatchObject({
      capacity: { storage: '1Gi' },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      hostPath: { path: `/var/lib/kubedesk/local-path/${name}`, type: 'DirectoryOrCreate' },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['sim-node-2'] }] },
          ],
        },
      },
    });
    expect((await eventsFor('web-data')).map((e) => e.reason)).toContain('ProvisioningSucceeded');

    await claims().delete('default', 'web-data');
    await eventually(
      async () => (await volumes().get(undefined, name)) === undefined,
      10_000,
      'volume deleted',
    );
  });

  it('provisions at once for an Immediate class and keeps Retain volumes Released', async () => {
    await start();
    await classes().create({
      metadata: { name: 'keep' },
      provisioner: 'kubedesk.io/local-path',
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'Immediate',
    });
    const created = await claims().create(claim('kept', { storageClassName: 'keep' }));
    await claimWhere('kept', (c) => c.status?.phase === 'Bound');
    const name = `pvc-${created.metadata?.uid}`;
    const pv = await volumeWhere(name, (v) => v.status?.phase === 'Bound');
    expect(pv.spec?.nodeAffinity).toBeUndefined();
    await claims().delete('default', 'kept');
    await volumeWhere(name, (v) => v.status?.phase === 'Released');
  });
});
