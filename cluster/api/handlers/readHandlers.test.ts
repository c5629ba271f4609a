// LIST replies larger than one store page: streamed page by page, yet one consistent snapshot.

import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../store/memoryStore';
import type { Store } from '../../store/store';
import { startTestApiServer, type TestApiServer } from '../testing/testApiServer';

const prefix = '/registry/core/configmaps/default/';
const stored = (name: string, value: string) =>
  JSON.stringify({ metadata: { name, namespace: 'default' }, data: { value } });

/** A store whose second list call (the second page of a streamed LIST) first suffers `writes`. */
function storeWritingBetweenPages(writes: (store: Store) => Promise<void>): Store {
  const store = createMemoryStore();
  let lists = 0;
  return new Proxy(store, {
    get: (target, property) => {
      const method = Reflect.get(target, property, target).bind(target);
      if (property !== 'list' && property !== 'listBytes') return method;
      return async (...args: Parameters<Store['list']>) => {
        if (args[0] === prefix && ++lists === 2) await writes(store);
        return method(...args);
      };
    },
  });
}

describe('LIST of more objects than one store page', () => {
  let server: TestApiServer | undefined;
  afterEach(async () => server?.stop());

  it('returns every object of the first page’s revision, not writes made while it streamed', async () => {
    const store = storeWritingBetweenPages(async (s) => {
      await s.create(`${prefix}cm-9999`, stored('cm-9999', 'late'));
      await s.update(`${prefix}cm-1100`, stored('cm-1100', 'changed'));
    });
    const names = Array.from({ length: 1201 }, (_, i) => `cm-${String(i).padStart(4, '0')}`);
    for (const name of names) await store.create(`${prefix}${name}`, stored(name, 'first'));
    server = await startTestApiServer({ store });
    const listRevision = await store.currentRevision();

    const list = await server.request('GET', '/api/v1/namespaces/default/configmaps');
    expect(list.status).toBe(200);
    const items = list.body.items as {
      metadata: { name: string; resourceVersion: string };
      data: { value: string };
    }[];
    const ours = items.filter((item) => item.metadata.name.startsWith('cm-'));
    expect(ours.map((item) => item.metadata.name)).toEqual(names);
    expect(ours.every((item) => item.data.value === 'first')).toBe(true);
    expect(Number(list.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(listRevision);
    expect(list.body.kind).toBe('ConfigMapList');
    // The writes did land: the next LIST sees them.
    const after = await server.request('GET', '/api/v1/namespaces/default/configmaps/cm-1100');
    expect(after.body.data.value).toBe('changed');
  });
});
