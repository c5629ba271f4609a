import type { V1ConfigMap } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { Informer, stripManagedFields } from './informer';
import { resources } from './resources';

describe('Informer', () => {
  let h: ControllerHarness;
  afterEach(async () => h?.stop());

  function configMap(name: string, labels: Record<string, string> = {}): V1ConfigMap {
    return { metadata: { name, namespace: 'default', labels }, data: { k: name } };
  }

  it('lists, then follows adds, updates and deletes with indexes kept current', async () => {
    h = await startControllerHarness([]);
    const client = h.ctx.client.resource(resources.configMaps);
    await client.create(configMap('before', { app: 'a' }));
    const informer = new Informer(client);
    informer.addIndex('app', (cm) => (cm.metadata?.labels?.app ? [cm.metadata.labels.app] : []));
    const seen: string[] = [];
    informer.addHandlers({
      onAdd: (cm) => seen.push(`add ${cm.metadata?.name}`),
      onUpdate: (_old, cm) => seen.push(`update ${cm.metadata?.name}`),
      onDelete: (cm) => seen.push(`delete ${cm.metadata?.name}`),
    });
    await informer.start();
    expect(informer.get('default', 'before')?.data?.k).toBe('before');

    await client.create(configMap('after', { app: 'b' }));
    await client.mutate('default', 'before', (cm) => {
      cm.metadata = { ...cm.metadata, labels: { app: 'b' } };
      return cm;
    });
    await client.delete('default', 'after');
    await eventually(() => seen.length >= 4);
    expect(seen).toEqual(['add before', 'add after', 'update before', 'delete after']);
    expect(informer.byIndex('app', 'a')).toEqual([]);
    expect(informer.byIndex('app', 'b').map((cm) => cm.metadata?.name)).toEqual(['before']);
    informer.stop();
  });

  it('replays the cache to handlers added after the first list', async () => {
    h = await startControllerHarness([]);
    const client = h.ctx.client.resource(resources.configMaps);
    await client.create(configMap('one'));
    const informer = new Informer(client);
    await informer.start();
    const added: string[] = [];
    informer.addHandlers({ onAdd: (cm) => added.push(cm.metadata?.name ?? '') });
    expect(added).toContain('one');
    informer.stop();
  });

  it('relists after its watch fails and reports what changed meanwhile', async () => {
    h = await startControllerHarness([]);
    const client = h.ctx.client.resource(resources.configMaps);
    await client.create(configMap('kept'));
    await client.create(configMap('dropped'));
    // A watch that fails at once, as after a compaction: the informer must relist.
    let failures = 1;
    const flaky: typeof client = {
      ...client,
      watch: (ns, rev, onEvent, onError) => {
        if (failures-- > 0) {
          setTimeout(() => onError(new Error('compacted')), 0);
          return { close() {} };
        }
        return client.watch(ns, rev, onEvent, onError);
      },
    };
    const informer = new Informer(flaky, { relistDelayMs: 50 });
    const deleted: string[] = [];
    informer.addHandlers({ onDelete: (cm) => deleted.push(cm.metadata?.name ?? '') });
    await informer.start();
    await client.delete('default', 'dropped');
    await eventually(() => deleted.includes('dropped'));
    expect(informer.list().map((cm) => cm.metadata?.name)).toEqual(['kept']);
    informer.stop();
  });

  it('caches objects without managedFields, and an update from a cached copy keeps the stored ones', async () => {
    h = await startControllerHarness([]);
    const client = h.ctx.client.resource(resources.configMaps);
    await client.create(configMap('owned'));
    const informer = new Informer(client, { transform: stripManagedFields });
    await informer.start();
    await client.create(configMap('later'));
    await eventually(() => informer.get('default', 'later'));
    for (const cm of informer.list()) expect(cm.metadata?.managedFields).toBeUndefined();

    const cached = structuredClone(informer.get('default', 'owned') as V1ConfigMap);
    await h.ctx.client
      .withFieldManager('other')
      .resource(resources.configMaps)
      .update({ ...cached, metadata: { ...cached.metadata, labels: { extra: 'yes' } } });
    const stored = await client.get('default', 'owned');
    expect(stored?.metadata?.managedFields?.map((m) => m.manager)).toEqual([
      'kube-controller-manager',
      'other',
    ]);
    informer.stop();
  });
});
