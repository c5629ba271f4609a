// Terminating namespaces lose their content, report what holds them up, and go.

import type { V1Namespace } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { namespaceController } from './namespaceController';

let h: ControllerHarness;

beforeEach(async () => {
  h = await startControllerHarness([namespaceController({ finalizeDelayMs: 0 })]);
});

afterEach(async () => {
  await h.stop();
});

const namespaces = () => h.ctx.client.resource(resources.namespaces);
const configMaps = () => h.ctx.client.resource(resources.configMaps);

function condition(ns: V1Namespace | undefined, type: string) {
  return ns?.status?.conditions?.find((c) => c.type === type);
}

describe('namespace controller', () => {
  it('deletes the content of a Terminating namespace, then the namespace', async () => {
    await namespaces().create({ metadata: { name: 'shop' } });
    await configMaps().create({ metadata: { name: 'settings', namespace: 'shop' } });
    await h.ctx.client.resource(resources.secrets).create({ metadata: { name: 's', namespace: 'shop' } });
    await h.ctx.client.resource(resources.pods).create({
      metadata: { name: 'p', namespace: 'shop' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    await namespaces().delete(undefined, 'shop');
    await eventually(
      async () => (await namespaces().get(undefined, 'shop')) === undefined,
      10_000,
      'ns gone',
    );
    expect((await configMaps().list('shop')).items).toEqual([]);
    expect((await h.ctx.client.resource(resources.pods).list('shop')).items).toEqual([]);
  });

  it('reports content held by finalizers and waits for it', async () => {
    await namespaces().create({ metadata: { name: 'held' } });
    await configMaps().create({
      metadata: { name: 'pinned', namespace: 'held', finalizers: ['example.com/x'] },
    });
    await namespaces().delete(undefined, 'held');
    const ns = await eventually(async () => {
      const live = await namespaces().get(undefined, 'held');
      return condition(live, 'NamespaceFinalizersRemaining')?.status === 'True' ? live : undefined;
    });
    expect(ns.status?.phase).toBe('Terminating');
    expect(ns.spec?.finalizers).toEqual(['kubernetes']);
    expect(condition(ns, 'NamespaceContentRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: configmaps. has 1 resource instances',
    });
    expect(condition(ns, 'NamespaceFinalizersRemaining')).toMatchObject({
      reason: 'SomeFinalizersRemain',
      message:
        'Some content in the namespace has finalizers remaining: example.com/x in 1 resource instances',
    });
    expect(condition(ns, 'NamespaceDeletionContentFailure')).toMatchObject({
      status: 'False',
      reason: 'ContentDeleted',
    });
    expect(ns.status?.conditions?.map((c) => c.type)).toEqual([
      'NamespaceDeletionDiscoveryFailure',
      'NamespaceDeletionGroupVersionParsingFailure',
      'NamespaceDeletionContentFailure',
      'NamespaceContentRemaining',
      'NamespaceFinalizersRemaining',
    ]);

    await configMaps().mutate('held', 'pinned', (cm) => {
      cm.metadata = { ...cm.metadata, finalizers: [] };
      return cm;
    });
    await eventually(
      async () => (await namespaces().get(undefined, 'held')) === undefined,
      10_000,
      'ns gone',
    );
  });

  it('keeps a namespace whose metadata finalizers remain after its content is gone', async () => {
    await namespaces().create({ metadata: { name: 'kept', finalizers: ['example.com/keep'] } });
    await namespaces().delete(undefined, 'kept');
    const ns = await eventually(async () => {
      const live = await namespaces().get(undefined, 'kept');
      return live?.spec?.finalizers?.length === 0 ? live : undefined;
    });
    expect(ns.metadata?.finalizers).toEqual(['example.com/keep']);
    expect(condition(ns, 'NamespaceContentRemaining')).toMatchObject({
      status: 'False',
      reason: 'ContentRemoved',
    });
  });

  it('leaves active namespaces alone', async () => {
    await namespaces().create({ metadata: { name: 'live' } });
    await configMaps().create({ metadata: { name: 'c', namespace: 'live' } });
    await namespaces().create({ metadata: { name: 'doomed' } });
    await namespaces().delete(undefined, 'doomed');
    await eventually(
      async () => (await namespaces().get(undefined, 'doomed')) === undefined,
      10_000,
      'ns gone',
    );
    expect(await configMaps().get('live', 'c')).toBeDefined();
  });
});
