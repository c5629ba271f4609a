import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './openStore';

const dir = mkdtempSync(join(tmpdir(), 'kubedesk-open-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openStore', () => {
  it('opens a SQLite store at a path whose folders do not exist yet, and reopens its data', async () => {
    const path = join(dir, 'data', 'cluster', 'state.db');
    const first = await openStore({ kind: 'sqlite', path });
    const kv = await first.create('/registry/namespaces/default', '{"kind":"Namespace"}');
    await first.close();
    const second = await openStore({ kind: 'sqlite', path });
    expect(await second.get('/registry/namespaces/default')).toEqual(kv);
    await second.close();
  });

  it('opens an empty memory store', async () => {
    const store = await openStore({ kind: 'memory' });
    expect(await store.currentRevision()).toBe(0);
    expect(await store.count('/')).toBe(0);
    await store.close();
  });

  it('fails with the endpoint named when etcd does not answer', async () => {
    const open = openStore({ kind: 'etcd', endpoints: ['http://127.0.0.1:1'] });
    await expect(open).rejects.toThrow('etcd at http://127.0.0.1:1 did not answer');
  });
});
