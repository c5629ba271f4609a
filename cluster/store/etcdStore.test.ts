import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEtcdStore } from './etcdStore';
import { type EtcdServer, startEtcdServer } from './startEtcdServer';
import type { WatchEvent } from './store';
import { describeStoreConformance } from './storeConformance';

let server: EtcdServer | undefined;
beforeAll(async () => {
  server = await startEtcdServer();
});
afterAll(async () => {
  await server?.stop();
});

// Each store gets its own key prefix on the one server, so tests see empty stores.
let stores = 0;
const open = async (options = {}) => {
  if (!server) throw new Error('etcd server did not start');
  return createEtcdStore({ endpoints: [server.endpoint], prefix: `/test-${++stores}`, ...options });
};
describeStoreConformance('etcd', open);

describe('etcd store', () => {
  it('keeps stores with different prefixes apart on one etcd', async () => {
    const [one, two] = [await open(), await open()];
    await one.create('/registry/pods/default/web', '{"n":1}');
    expect(await two.get('/registry/pods/default/web')).toBeUndefined();
    expect(await two.count('/registry/')).toBe(0);
    await two.create('/registry/pods/default/web', '{"n":2}');
    expect((await one.get('/registry/pods/default/web'))?.value).toBe('{"n":1}');
    await Promise.all([one.close(), two.close()]);
  });

  it('tells how to get etcd when the binary is missing', async () => {
    await expect(startEtcdServer({ binary: '/nonexistent/etcd' })).rejects.toThrow(
      'install the Debian package etcd-server',
    );
  });
});

describe('etcd store across an etcd restart', () => {
  it('keeps a watch going without gaps and serves writes again once etcd is back', async () => {
    const store = await open();
    const events: WatchEvent[] = [];
    const errors: Error[] = [];
    store.watch(
      '/registry/pods/',
      {},
      (e) => events.push(e),
      (e) => errors.push(e),
    );
    const before = await store.create('/registry/pods/default/before', '{}');
    await vi.waitFor(() => expect(events).toHaveLength(1), { timeout: 5_000 });

    await server?.restart();
    const after = await vi.waitFor(() => store.create('/registry/pods/default/after', '{}'), {
      timeout: 15_000,
      interval: 200,
    });
    await vi.waitFor(() => expect(events).toHaveLength(2), { timeout: 15_000 });
    expect(events.map((e) => e.kv)).toEqual([before, after]);
    expect(errors).toEqual([]);
    await store.close();
  });
});
