import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from './memoryStore';
import { createSqliteStore } from './sqliteStore';
import type { Store, WatchEvent } from './store';
import { describeStoreConformance } from './storeConformance';

const dir = mkdtempSync(join(tmpdir(), 'kubedesk-sqlite-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const nextPath = () => join(dir, `store-${++files}`, 'state.db');

describeStoreConformance('sqlite', async (options) => createSqliteStore(nextPath(), options));

describe('SQLite group commit', () => {
  it('commits a turn’s writes together, acknowledges them after the commit, and keeps a failed one out', async () => {
    const path = nextPath();
    const store = createSqliteStore(path);
    const outside = new Database(path, { readonly: true });
    const committedRows = () => outside.prepare('SELECT COUNT(*) FROM current').pluck().get();
    await store.create('/registry/pods/default/taken', '{}');
    const before = committedRows();
    const writes = [
      store.create('/registry/pods/default/a', '{"n":1}'),
      store.create('/registry/pods/default/taken', '{}'),
      store.create('/registry/pods/default/b', '{"n":1}'),
    ];
    expect(committedRows()).toBe(before);
    const [a, taken, b] = await Promise.allSettled(writes);
    expect(committedRows()).toBe((before as number) + 2);
    expect(a).toMatchObject({ status: 'fulfilled' });
    expect(taken).toMatchObject({ status: 'rejected' });
    expect(b).toMatchObject({ status: 'fulfilled' });
    outside.close();
    await store.close();
  });

  it('delivers an event once to a watch whose backlog already read it before the commit', async () => {
    const store = createSqliteStore(nextPath());
    const first = await store.create('/registry/pods/default/first', '{}');
    const events: WatchEvent[] = [];
    const pending = store.create('/registry/pods/default/second', '{}');
    // The watch starts at `first` while `second` is written but not yet committed: its backlog reads
    // `second` from the log, and the commit publishes it again.
    const watch = store.watch(
      '/registry/pods/',
      { afterRevision: first.modRevision },
      (e) => events.push(e),
      () => {},
    );
    const second = await pending;
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.map((e) => e.kv.modRevision)).toEqual([second.modRevision]);
    watch.close();
    await store.close();
  });
});

describe('SQLite store file', () => {
  it('keeps values, revisions, history and the compaction point across reopening', async () => {
    const path = nextPath();
    const first = createSqliteStore(path);
    const a = await first.create('/registry/pods/default/a', '{"n":1}');
    const a2 = await first.update('/registry/pods/default/a', '{"n":2}', a.modRevision);
    const b = await first.create('/registry/pods/default/b', '{"n":1}');
    const { revision: deletedAt } = await first.delete('/registry/pods/default/b');
    await first.compact(a2.modRevision);
    await first.close();

    const second = createSqliteStore(path);
    expect(await second.currentRevision()).toBe(deletedAt);
    expect(await second.compactedRevision()).toBe(a2.modRevision);
    expect(await second.get('/registry/pods/default/a')).toEqual(a2);
    expect((await second.list('/registry/pods/', { revision: b.modRevision })).items).toEqual([a2, b]);
    const next = await second.create('/registry/pods/default/c', '{}');
    expect(next.modRevision).toBe(deletedAt + 1);
    await second.close();
  });

  it('keeps revisions increasing after compaction removed the newest row', async () => {
    const path = nextPath();
    const first = createSqliteStore(path);
    await first.create('/registry/pods/default/a', '{}');
    const { revision } = await first.delete('/registry/pods/default/a');
    await first.compact(revision);
    await first.close();
    const second = createSqliteStore(path);
    expect(await second.currentRevision()).toBe(revision);
    expect((await second.create('/registry/pods/default/a', '{}')).modRevision).toBe(revision + 1);
    await second.close();
  });
});

/** Events from `afterRevision` up to now (the backlog arrives in one microtask flush). */
async function history(store: Store, afterRevision: number) {
  const events: WatchEvent[] = [];
  const errors: Error[] = [];
  const watch = store.watch(
    '/registry/',
    { afterRevision },
    (e) => events.push(e),
    (e) => errors.push(e),
  );
  await new Promise((resolve) => setImmediate(resolve));
  watch.close();
  return { events, errors };
}

describe('SQLite store against the memory store', () => {
  it('gives the same answers under random writes, compactions, paged past lists and watches', async () => {
    const path = nextPath();
    const sqlite = createSqliteStore(path, { compactionWindow: 0 });
    const memory = createMemoryStore({ compactionWindow: 0 });
    const both = async <T>(run: (store: Store) => Promise<T>) => {
      const [fromSqlite, fromMemory] = await Promise.allSettled([run(sqlite), run(memory)]);
      expect(fromSqlite).toEqual(fromMemory);
      return fromSqlite;
    };
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let step = 0; step < 1_500; step++) {
      const key = `/registry/${random(2) ? 'pods' : 'services'}/ns/k${random(25)}`;
      const existing = await memory.get(key);
      const stale = random(10) === 0 ? 1 : undefined;
      if (!existing || random(10) === 0) await both((s) => s.create(key, JSON.stringify({ step })));
      else if (random(4) === 0) await both((s) => s.delete(key, stale ?? existing.modRevision));
      else await both((s) => s.update(key, JSON.stringify({ step }), stale ?? existing.modRevision));

      if (step % 50 === 49) {
        const current = await memory.currentRevision();
        const compacted = await memory.compactedRevision();
        const target = compacted + random(current - compacted);
        if (random(3) === 0) await both((s) => s.compact(target));
        const at = compacted + random(current - compacted + 1);
        const limit = random(8);
        await both(async (s) => {
          const pages = [await s.list('/registry/pods/', { revision: at, limit })];
          while (pages.at(-1)?.continue) {
            pages.push(await s.list('/registry/pods/', { limit, continue: pages.at(-1)?.continue }));
          }
          return pages.flatMap((p) => p.items);
        });
        await both((s) => history(s, at));
        await both((s) => s.list('/registry/', { revision: Math.max(0, compacted - 1) }));
      }
    }
    const current = await memory.currentRevision();
    const compacted = await memory.compactedRevision();
    expect(compacted).toBeGreaterThan(0);
    await both((s) => s.count('/registry/services/'));
    await sqlite.close();
    await memory.close();

    // Compaction really removed history: at or below the compaction point only each key's newest
    // row survives, and no delete rows.
    const db = new Database(path, { readonly: true });
    const old = (where: string) =>
      db.prepare(`SELECT COUNT(*) FROM log WHERE revision <= ? ${where}`).pluck().get(compacted) as number;
    const oldKeys = db
      .prepare('SELECT COUNT(DISTINCT key) FROM log WHERE revision <= ?')
      .pluck()
      .get(compacted);
    expect(old('')).toBe(oldKeys);
    expect(old('AND deleted = 1')).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM log WHERE revision > ?').pluck().get(compacted)).toBe(
      current - compacted,
    );
    db.close();
  });
});
