// The behaviour every Store backend must share, registered as vitest blocks so memory, SQLite and
// etcd run the very same checks. `open` must return a fresh, empty store on each call (for etcd: a
// new key prefix, so revisions are global and need not start at 0).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CompactionOptions } from './autoCompaction';
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  InvalidContinueError,
  KeyExistsError,
  KeyNotFoundError,
  StoreClosedError,
} from './errors';
import type { KeyValue, Store, WatchEvent } from './store';

export type OpenStore = (options?: CompactionOptions) => Promise<Store>;

const pods = '/registry/pods/';
const pod = (name: string) => `${pods}default/${name}`;
const json = (value: unknown) => JSON.stringify(value);

/** Collects a watch's events and errors for assertions. */
function record(store: Store, prefix: string, afterRevision?: number) {
  const events: WatchEvent[] = [];
  const errors: Error[] = [];
  const watch = store.watch(
    prefix,
    { afterRevision },
    (event) => events.push(event),
    (err) => errors.push(err),
  );
  return { events, errors, watch };
}

const summary = (events: WatchEvent[]) => events.map((e) => [e.type, e.kv.key, e.kv.value, e.kv.modRevision]);

async function listAll(
  store: Store,
  prefix: string,
  limit: number,
  between?: (page: number) => Promise<void>,
) {
  const pages = [await store.list(prefix, { limit })];
  while (pages.at(-1)?.continue) {
    await between?.(pages.length);
    pages.push(await store.list(prefix, { limit, continue: pages.at(-1)?.continue }));
  }
  return pages;
}

export function describeStoreConformance(backend: string, open: OpenStore): void {
  describe(`Store conformance: ${backend}`, () => {
    const opened: Store[] = [];
    const fresh = async (options?: CompactionOptions) => {
      const store = await open(options);
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    describe('create, get, update, delete', () => {
      it('creates a key at a new revision and reads it back', async () => {
        const store = await fresh();
        const before = await store.currentRevision();
        const kv = await store.create(pod('web'), json({ n: 1 }));
        expect(kv.modRevision).toBeGreaterThan(before);
        expect(kv).toEqual({
          key: pod('web'),
          value: json({ n: 1 }),
          createRevision: kv.modRevision,
          modRevision: kv.modRevision,
        });
        expect(await store.get(pod('web'))).toEqual(kv);
        expect(await store.currentRevision()).toBeGreaterThanOrEqual(kv.modRevision);
        expect(await store.get(pod('missing'))).toBeUndefined();
      });

      it('refuses to create a key that exists and keeps the stored value', async () => {
        const store = await fresh();
        const kv = await store.create(pod('web'), json({ n: 1 }));
        await expect(store.create(pod('web'), json({ n: 2 }))).rejects.toBeInstanceOf(KeyExistsError);
        expect(await store.get(pod('web'))).toEqual(kv);
      });

      it('updates only when the expected revision matches (compare-and-swap)', async () => {
        const store = await fresh();
        const first = await store.create(pod('web'), json({ n: 1 }));
        const second = await store.update(pod('web'), json({ n: 2 }), first.modRevision);
        expect(second.createRevision).toBe(first.createRevision);
        expect(second.modRevision).toBeGreaterThan(first.modRevision);

        const stale = store.update(pod('web'), json({ n: 3 }), first.modRevision);
        await expect(stale).rejects.toBeInstanceOf(ConflictError);
        await expect(stale).rejects.toMatchObject({
          expected: first.modRevision,
          actual: second.modRevision,
        });
        expect(await store.get(pod('web'))).toEqual(second);

        const unconditional = await store.update(pod('web'), json({ n: 4 }));
        expect(unconditional.value).toBe(json({ n: 4 }));
        await expect(store.update(pod('missing'), json({}))).rejects.toBeInstanceOf(KeyNotFoundError);
        await expect(store.update(pod('missing'), json({}), 1)).rejects.toBeInstanceOf(KeyNotFoundError);
      });

      it('deletes only when the expected revision matches and returns the deleted value', async () => {
        const store = await fresh();
        const first = await store.create(pod('web'), json({ n: 1 }));
        const second = await store.update(pod('web'), json({ n: 2 }));
        await expect(store.delete(pod('web'), first.modRevision)).rejects.toBeInstanceOf(ConflictError);
        expect(await store.get(pod('web'))).toEqual(second);

        const { deleted, revision } = await store.delete(pod('web'), second.modRevision);
        expect(deleted).toEqual(second);
        expect(revision).toBeGreaterThan(second.modRevision);
        expect(await store.get(pod('web'))).toBeUndefined();
        await expect(store.delete(pod('web'))).rejects.toBeInstanceOf(KeyNotFoundError);

        const again = await store.create(pod('web'), json({ n: 3 }));
        expect(again.createRevision).toBeGreaterThan(revision);
      });

      it('rejects keys and prefixes that do not start with /', async () => {
        const store = await fresh();
        await expect(store.create('registry/pods/x', '{}')).rejects.toBeInstanceOf(TypeError);
        await expect(store.list('')).rejects.toBeInstanceOf(TypeError);
      });
    });

    describe('list', () => {
      it('lists keys in order under a prefix without matching longer sibling names', async () => {
        const store = await fresh();
        await store.create(pod('b'), json('b'));
        await store.create(pod('a'), json('a'));
        await store.create('/registry/podsecurity/default/x', json('x'));
        await store.create('/registry/pods2/default/y', json('y'));
        const result = await store.list(pods);
        expect(result.items.map((kv) => kv.key)).toEqual([pod('a'), pod('b')]);
        expect(result.continue).toBeUndefined();
        expect(result.revision).toBe(await store.currentRevision());
        expect(await store.count(pods)).toBe(2);
        expect(await store.count('/registry/')).toBe(4);
        expect((await store.list('/registry/nothing/')).items).toEqual([]);
      });

      it('pages stay consistent at the first page revision while writes happen between pages', async () => {
        const store = await fresh();
        const names = Array.from({ length: 10 }, (_, i) => `p${i}`);
        for (const name of names) await store.create(pod(name), json({ name, v: 1 }));
        const expected = (await store.list(pods)).items;

        // After page n: change a key of the next page, delete one, rewrite a key already seen, add one.
        const pages = await listAll(store, pods, 3, async (page) => {
          await store.update(pod(`p${page * 3}`), json({ v: 'later' }));
          await store.delete(pod(`p${page + 6}`));
          await store.update(pod('p0'), json({ v: 'later' }));
          await store.create(pod(`p${page}x`), json({ v: 'new' }));
        });
        expect(pages.map((p) => p.items.length)).toEqual([3, 3, 3, 1]);
        expect(new Set(pages.map((p) => p.revision)).size).toBe(1);
        expect(pages.flatMap((p) => p.items)).toEqual(expected);
        expect(pages.at(-1)?.continue).toBeUndefined();
      });

      it('reads at a past revision', async () => {
        const store = await fresh();
        const a = await store.create(pod('a'), json(1));
        await store.update(pod('a'), json(2));
        await store.create(pod('b'), json(1));
        await store.delete(pod('a'));
        const past = await store.list(pods, { revision: a.modRevision });
        expect(past).toEqual({ items: [a], revision: a.modRevision });
        expect((await store.list(pods)).items.map((kv) => kv.key)).toEqual([pod('b')]);
      });

      it('rejects malformed continue tokens, tokens from another prefix and future revisions', async () => {
        const store = await fresh();
        await store.create(pod('a'), json(1));
        await store.create(pod('b'), json(1));
        const first = await store.list(pods, { limit: 1 });
        expect(first.continue).toBeDefined();
        await expect(store.list(pods, { continue: 'not a token' })).rejects.toBeInstanceOf(
          InvalidContinueError,
        );
        await expect(store.list('/registry/services/', { continue: first.continue })).rejects.toBeInstanceOf(
          InvalidContinueError,
        );
        const current = await store.currentRevision();
        await expect(store.list(pods, { revision: current + 100 })).rejects.toBeInstanceOf(
          FutureRevisionError,
        );
      });
    });

    describe('watch', () => {
      it('delivers puts and deletes in revision order, deletes carrying the previous value', async () => {
        const store = await fresh();
        const { events, errors } = record(store, pods);
        const a1 = await store.create(pod('a'), json(1));
        const b1 = await store.create(pod('b'), json(1));
        const a2 = await store.update(pod('a'), json(2));
        const { revision } = await store.delete(pod('b'));
        await store.create('/registry/podsecurity/x', json(1));
        await vi.waitFor(() => expect(events).toHaveLength(4), { timeout: 5_000 });
        expect(events).toEqual([
          { type: 'put', kv: a1 },
          { type: 'put', kv: b1 },
          { type: 'put', kv: a2, prev: a1 },
          { type: 'delete', kv: { ...b1, modRevision: revision }, prev: b1 },
        ]);
        expect(errors).toEqual([]);
      });

      it('keeps order under many concurrent writes', async () => {
        const store = await fresh();
        const { events } = record(store, pods);
        const writes = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.create(pod(`c${i}`), json(i))),
        );
        await vi.waitFor(() => expect(events).toHaveLength(50), { timeout: 5_000 });
        const revisions = events.map((e) => e.kv.modRevision);
        expect(revisions).toEqual([...revisions].sort((x, y) => x - y));
        expect(new Set(revisions)).toEqual(new Set(writes.map((kv) => kv.modRevision)));
      });

      it('resumes from an old revision, then continues live without gaps or repeats', async () => {
        const store = await fresh();
        const a = await store.create(pod('a'), json(1));
        const b = await store.create(pod('b'), json(1));
        const a2 = await store.update(pod('a'), json(2));
        const { events, errors } = record(store, pods, a.modRevision);
        expect(events).toEqual([]); // delivery is asynchronous, never inside watch()
        const c = await store.create(pod('c'), json(1));
        await vi.waitFor(() => expect(events).toHaveLength(3), { timeout: 5_000 });
        expect(summary(events)).toEqual(
          summary([
            { type: 'put', kv: b },
            { type: 'put', kv: a2, prev: a },
            { type: 'put', kv: c },
          ]),
        );
        expect(events[1]).toEqual({ type: 'put', kv: a2, prev: a });
        expect(errors).toEqual([]);
      });

      it('sends only new events by default and nothing after close()', async () => {
        const store = await fresh();
        await store.create(pod('old'), json(1));
        const first = record(store, pods);
        const second = record(store, pods);
        const fresh1 = await store.create(pod('new'), json(1));
        await vi.waitFor(() => expect(second.events).toHaveLength(1), { timeout: 5_000 });
        first.watch.close();
        first.watch.close();
        const fresh2 = await store.create(pod('newer'), json(1));
        await vi.waitFor(() => expect(second.events).toHaveLength(2), { timeout: 5_000 });
        expect(second.events.map((e) => e.kv)).toEqual([fresh1, fresh2]);
        expect(first.events.map((e) => e.kv)).toEqual([fresh1]);
      });
    });

    describe('compaction', () => {
      it('forgets history before the compacted revision: lists and watches there fail with CompactedError', async () => {
        const store = await fresh();
        const a = await store.create(pod('a'), json(1));
        const b = await store.create(pod('b'), json(1));
        const page = await store.list(pods, { limit: 1 });
        const a2 = await store.update(pod('a'), json(2));
        await store.delete(pod('b'));
        const kept = await store.create(pod('c'), json(1));
        await store.compact(a2.modRevision);
        expect(await store.compactedRevision()).toBe(a2.modRevision);

        await expect(store.list(pods, { revision: b.modRevision })).rejects.toBeInstanceOf(CompactedError);
        await expect(store.list(pods, { continue: page.continue })).rejects.toMatchObject({
          name: 'CompactedError',
          requested: b.modRevision,
          compacted: a2.modRevision,
        });
        expect((await store.list(pods, { revision: a2.modRevision })).items).toEqual([a2, b]);

        const tooOld = record(store, pods, a.modRevision);
        await vi.waitFor(() => expect(tooOld.errors).toHaveLength(1), { timeout: 5_000 });
        expect(tooOld.errors[0]).toBeInstanceOf(CompactedError);
        expect(tooOld.events).toEqual([]);

        const resumed = record(store, pods, a2.modRevision);
        await vi.waitFor(() => expect(resumed.events).toHaveLength(2), { timeout: 5_000 });
        expect(resumed.events[0]).toMatchObject({ type: 'delete', prev: b });
        expect(resumed.events[1]).toEqual({ type: 'put', kv: kept });
        expect(resumed.errors).toEqual([]);

        await store.compact(a.modRevision);
        expect(await store.compactedRevision()).toBe(a2.modRevision);
        await expect(store.compact((await store.currentRevision()) + 100)).rejects.toBeInstanceOf(
          FutureRevisionError,
        );
      });

      it('compacts automatically, keeping the configured window of revisions', async () => {
        const store = await fresh({ compactionWindow: 5, compactionIntervalMs: 20 });
        const written: KeyValue[] = [];
        for (let i = 0; i < 20; i++) written.push(await store.create(pod(`w${i}`), json(i)));
        const last = written.at(-1) as KeyValue;
        await vi.waitFor(
          async () => expect(await store.compactedRevision()).toBeGreaterThan(last.modRevision - 10),
          {
            timeout: 5_000,
          },
        );
        const current = await store.currentRevision();
        expect(await store.compactedRevision()).toBeLessThanOrEqual(current - 5);
        const first = written[0] as KeyValue;
        await expect(store.list(pods, { revision: first.modRevision })).rejects.toBeInstanceOf(
          CompactedError,
        );
        expect(await store.count(pods)).toBe(20);
      });
    });

    describe('close', () => {
      it('ends open watches with StoreClosedError and rejects later calls', async () => {
        const store = await fresh();
        const { errors } = record(store, pods);
        await store.close();
        await store.close();
        await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 5_000 });
        expect(errors[0]).toBeInstanceOf(StoreClosedError);
        await expect(store.get(pod('a'))).rejects.toBeInstanceOf(StoreClosedError);
        await expect(store.create(pod('a'), '{}')).rejects.toBeInstanceOf(StoreClosedError);
        const late = record(store, pods);
        await vi.waitFor(() => expect(late.errors).toHaveLength(1), { timeout: 5_000 });
        expect(late.errors[0]).toBeInstanceOf(StoreClosedError);
      });
    });
  });
}
