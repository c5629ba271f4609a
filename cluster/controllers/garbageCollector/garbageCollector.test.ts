// The garbage collector against the memory store: Background, Foreground and Orphan propagation,
// dangling and replaced owners, shared ownership, and a large owner.

import type { V1ConfigMap, V1OwnerReference, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiObject } from '../runtime/apiObject';
import { controllerRef } from '../runtime/ownerReferences';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { garbageCollectorController } from './garbageCollector';

let h: ControllerHarness;

beforeEach(async () => {
  h = await startControllerHarness([garbageCollectorController]);
});

afterEach(async () => {
  await h.stop();
});

const configMaps = () => h.ctx.client.resource(resources.configMaps);
const pods = () => h.ctx.client.resource(resources.pods);
const replicaSets = () => h.ctx.client.resource(resources.replicaSets);

function ref(owner: ApiObject, extra: Partial<V1OwnerReference> = {}): V1OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? 'v1',
    kind: owner.kind ?? 'ConfigMap',
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    ...extra,
  };
}

async function configMap(name: string, owners: V1OwnerReference[] = [], finalizers?: string[]) {
  const cm: V1ConfigMap = { metadata: { name, namespace: 'default', ownerReferences: owners } };
  if (finalizers) cm.metadata = { ...cm.metadata, finalizers };
  return configMaps().create(cm);
}

async function replicaSetWithPods(name: string, count: number): Promise<V1ReplicaSet> {
  const rs = await replicaSets().create({
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: count,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    },
  });
  for (let i = 0; i < count; i++) {
    const pod: V1Pod = {
      metadata: {
        name: `${name}-${i}`,
        namespace: 'default',
        labels: { app: name },
        ownerReferences: [controllerRef(rs, 'apps/v1', 'ReplicaSet')],
      },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    };
    await pods().create(pod);
  }
  return rs;
}

const gone = async (name: string) => (await configMaps().get('default', name)) === undefined;
const podCount = async (app: string) =>
  (await pods().list('default')).items.filter((p) => p.metadata?.labels?.app === app).length;

describe('background deletion', () => {
  it('deletes the dependents of a deleted owner', async () => {
    const rs = await replicaSetWithPods('web', 3);
    expect(await podCount('web')).toBe(3);
    await replicaSets().delete('default', rs.metadata?.name ?? '', { propagationPolicy: 'Background' });
    await eventually(async () => (await podCount('web')) === 0, 10_000, 'pods deleted');
  });

  it('deletes dependents through a chain of owners', async () => {
    const top = await configMap('top');
    const middle = await configMap('middle', [ref(top)]);
    await configMap('bottom', [ref(middle)]);
    await configMaps().delete('default', 'top');
    await eventually(async () => (await gone('middle')) && (await gone('bottom')), 10_000, 'chain deleted');
  });

  it('treats a reference to a uid that never existed as gone', async () => {
    await configMap('orphaned', [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'never-existed' },
    ]);
    await eventually(() => gone('orphaned'), 10_000, 'dangling dependent deleted');
  });

  it('treats an owner replaced by a namesake as gone', async () => {
    const first = await configMap('owner');
    await configMaps().delete('default', 'owner');
    const second = await configMap('owner');
    await configMap('of-first', [ref(first)]);
    await configMap('of-second', [ref(second)]);
    await eventually(() => gone('of-first'), 10_000, 'dependent of the replaced owner deleted');
    expect(await gone('of-second')).toBe(false);
  });

  it('keeps a dependent another owner still holds, dropping the dead reference', async () => {
    const a = await configMap('a');
    const b = await configMap('b');
    await configMap('shared', [ref(a), ref(b)]);
    await configMaps().delete('default', 'a');
    const shared = await eventually(async () => {
      const cm = await configMaps().get('default', 'shared');
      return cm?.metadata?.ownerReferences?.length === 1 ? cm : undefined;
    });
    expect(shared.metadata?.ownerReferences?.[0]?.uid).toBe(b.metadata?.uid);
  });

  it('leaves objects without owners and objects with live owners alone', async () => {
    const owner = await configMap('alive');
    await configMap('child', [ref(owner)]);
    await configMap('free');
    await configMap('trigger', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'none' }]);
    await eventually(() => gone('trigger'), 10_000, 'the collector at work');
    expect(await gone('child')).toBe(false);
    expect(await gone('free')).toBe(false);
  });
});

describe('foreground deletion', () => {
  it('removes the owner only after its blocking dependents are gone', async () => {
    const owner = await configMap('fg-owner');
    await configMap('fg-held', [ref(owner, { blockOwnerDeletion: true })], ['example.com/hold']);
    await configMaps().delete('default', 'fg-owner', { propagationPolicy: 'Foreground' });
    const held = await eventually(async () => {
      const cm = await configMaps().get('default', 'fg-held');
      return cm?.metadata?.deletionTimestamp ? cm : undefined;
    });
    expect(held.metadata?.finalizers).toEqual(['example.com/hold']);
    const waiting = await configMaps().get('default', 'fg-owner');
    expect(waiting?.metadata?.finalizers).toEqual(['foregroundDeletion']);
    await configMaps().mutate('default', 'fg-held', (cm) => {
      cm.metadata = { ...cm.metadata, finalizers: [] };
      return cm;
    });
    await eventually(() => gone('fg-owner'), 10_000, 'owner deleted once its dependent went');
  });

  it('deletes the pods before their replica set', async () => {
    const rs = await replicaSetWithPods('fg', 2);
    const removed: string[] = [];
    h.ctx.informers
      .for(resources.pods)
      .addHandlers({ onDelete: (p) => removed.push(`pod/${p.metadata?.name}`) });
    h.ctx.informers
      .for(resources.replicaSets)
      .addHandlers({ onDelete: (r) => removed.push(`rs/${r.metadata?.name}`) });
    await replicaSets().delete('default', rs.metadata?.name ?? '', { propagationPolicy: 'Foreground' });
    await eventually(() => removed.includes('rs/fg'), 10_000, 'replica set removed');
    expect(removed.slice().sort()).toEqual(['pod/fg-0', 'pod/fg-1', 'rs/fg']);
    expect(removed.at(-1)).toBe('rs/fg');
  });

  it('also deletes dependents that do not block, before the owner goes', async () => {
    const owner = await configMap('soft-owner');
    await configMap('soft-child', [ref(owner)]);
    await configMaps().delete('default', 'soft-owner', { propagationPolicy: 'Foreground' });
    await eventually(() => gone('soft-owner'), 10_000, 'owner deleted');
    expect(await gone('soft-child')).toBe(true);
  });
});

describe('orphan deletion', () => {
  it('strips the owner reference from dependents and keeps them', async () => {
    const rs = await replicaSetWithPods('orph', 3);
    await replicaSets().delete('default', rs.metadata?.name ?? '', { propagationPolicy: 'Orphan' });
    await eventually(
      async () => (await replicaSets().get('default', 'orph')) === undefined,
      10_000,
      'owner deleted',
    );
    const left = (await pods().list('default')).items.filter((p) => p.metadata?.labels?.app === 'orph');
    expect(left).toHaveLength(3);
    expect(left.map((p) => p.metadata?.ownerReferences ?? [])).toEqual([[], [], []]);
  });
});

describe('scale', () => {
  it('collects the 2,000 pods of a deleted owner', async () => {
    const rs = await replicaSetWithPods('big', 2_000);
    await replicaSets().delete('default', rs.metadata?.name ?? '');
    await eventually(async () => (await podCount('big')) === 0, 60_000, 'all pods deleted');
  }, 120_000);
});
