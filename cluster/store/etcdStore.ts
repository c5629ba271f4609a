// The Store on an external etcd (v3 API, `etcd3` client). etcd already has the semantics the
// Store promises; this file maps them: CAS writes are transactions on create/mod revision, paged
// lists are ranges pinned to the first page's revision, watches are etcd watches with prev_kv.
// The compaction point is kept in a bookkeeping key beside the data (as the Kubernetes API server
// keeps `compact_rev_key`), because etcd offers no call that reports it.
import {
  Etcd3,
  GRPCOutOfRangeError,
  type IKeyValue,
  type IRequestOp,
  type IResponseHeader,
  type Watcher,
} from 'etcd3';
import { type CompactionOptions, startAutoCompaction } from './autoCompaction';
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  StoreClosedError,
} from './errors';
import { checkKeyPath, keyAfter, prefixEnd } from './keyRange';
import { decodeContinue, encodeContinue } from './listPaging';
import type { KeyValue, ListOptions, ListResult, Store, Watch, WatchEvent, WatchOptions } from './store';
import { failedWatch } from './watchHub';

export interface EtcdStoreOptions extends CompactionOptions {
  endpoints: string[];
  /** Prepended to every key, so several clusters can share one etcd: '/kubedesk' stores
   * '/registry/pods/a' as '/kubedesk/registry/pods/a'. Default ''. */
  prefix?: string;
}

/** Connects and checks that etcd answers before resolving. */
export async function createEtcdStore(options: EtcdStoreOptions): Promise<Store> {
  const client = new Etcd3({ hosts: options.endpoints });
  const store = new EtcdStore(client, options);
  try {
    await store.currentRevision();
  } catch (err) {
    await store.close();
    throw new Error(`etcd at ${options.endpoints.join(', ')} did not answer`, { cause: err });
  }
  return store;
}

class EtcdStore implements Store {
  private readonly prefix: string;
  /** Outside the '/' key space the Store allows, so no list or watch can see it. */
  private readonly compactedKey: Buffer;
  /** The newest revision seen in any response: the default start of a watch, so a watch opened
   * after a write was acknowledged never replays that write. */
  private seenRevision = 0;
  private closed = false;
  private readonly watches = new Set<{ fail(err: Error): void }>();
  private readonly stopCompaction: () => void;

  constructor(
    private readonly client: Etcd3,
    options: EtcdStoreOptions,
  ) {
    this.prefix = options.prefix ?? '';
    this.compactedKey = Buffer.from(`${this.prefix}kubedesk-compacted-revision`);
    this.stopCompaction = startAutoCompaction(this, options);
  }

  async currentRevision(): Promise<number> {
    return (await this.readCompacted()).revision;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    const res = await this.client.kv.range({ key: this.raw(key) });
    this.seen(res.header);
    const kv = res.kvs[0];
    return kv && this.toKeyValue(kv);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    checkKeyPath(prefix);
    // etcd itself checks the revision against compaction and the current revision (0: current).
    const { revision: asked, startAfter } = options.continue
      ? decodeContinue(options.continue, prefix)
      : { revision: options.revision ?? 0, startAfter: undefined };
    const res = await this.client.kv
      .range({
        key: this.raw(startAfter === undefined ? prefix : keyAfter(startAfter)),
        range_end: this.raw(prefixEnd(prefix)),
        limit: Math.max(0, options.limit ?? 0),
        revision: asked,
      })
      .catch((err: unknown) => this.explainReadFailure(asked, err));
    this.seen(res.header);
    const items = res.kvs.map((kv) => this.toKeyValue(kv));
    const at = asked || Number(res.header.revision);
    const last = items.at(-1);
    return res.more && last
      ? { items, revision: at, continue: encodeContinue(at, last.key) }
      : { items, revision: at };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    checkKeyPath(prefix);
    const res = await this.client.kv.range({
      key: this.raw(prefix),
      range_end: this.raw(prefixEnd(prefix)),
      count_only: true,
    });
    this.seen(res.header);
    return Number(res.count);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.checkOpen();
    checkKeyPath(key);
    const raw = this.raw(key);
    const res = await this.client.kv.txn({
      compare: [{ key: raw, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: raw, value: Buffer.from(value) } }],
    });
    this.seen(res.header);
    if (!res.succeeded) throw new KeyExistsError(key);
    const revision = Number(res.header.revision);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: string, expectedModRevision?: number): Promise<KeyValue> {
    this.checkOpen();
    const raw = this.raw(key);
    const res = await this.casWrite(key, expectedModRevision, {
      request_put: { key: raw, value: Buffer.from(value), prev_kv: true },
    });
    const prev = res.responses[0]?.response_put.prev_kv as IKeyValue;
    return {
      key,
      value,
      createRevision: Number(prev.create_revision),
      modRevision: Number(res.header.revision),
    };
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ deleted: KeyValue; revision: number }> {
    this.checkOpen();
    const res = await this.casWrite(key, expectedModRevision, {
      request_delete_range: { key: this.raw(key), prev_kv: true },
    });
    const prev = res.responses[0]?.response_delete_range.prev_kvs[0] as IKeyValue;
    return { deleted: this.toKeyValue(prev), revision: Number(res.header.revision) };
  }

  watch(
    prefix: string,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
    onError: (err: Error) => void,
  ): Watch {
    checkKeyPath(prefix);
    if (this.closed) return failedWatch(onError, new StoreClosedError());
    let after = options.afterRevision ?? this.seenRevision;
    let watcher: Watcher | undefined;
    let ended = false;
    const handle = {
      fail: (err: Error) => {
        if (ended) return;
        handle.close();
        onError(err);
      },
      close: () => {
        ended = true;
        this.watches.delete(handle);
        // A failed cancel only leaves a stream that closing the client ends; nobody is waiting on it.
        watcher?.cancel().catch(() => undefined);
      },
    };
    this.watches.add(handle);
    const deliver = (event: WatchEvent) => {
      if (ended) return;
      after = event.kv.modRevision;
      onEvent(event);
    };
    const start = async () => {
      const { compacted } = await this.readCompacted();
      if (after < compacted) throw new CompactedError(after, compacted);
      if (ended) return;
      watcher = this.client
        .watch()
        .inRange({ start: this.raw(prefix), end: this.raw(prefixEnd(prefix)) })
        .startRevision(String(after + 1))
        .withPreviousKV()
        .watcher();
      watcher.on('put', (kv, prev) => {
        const event: WatchEvent = prev
          ? { type: 'put', kv: this.toKeyValue(kv), prev: this.toKeyValue(prev) }
          : { type: 'put', kv: this.toKeyValue(kv) };
        deliver(event);
      });
      watcher.on('delete', (kv, prev) => {
        const revision = Number(kv.mod_revision);
        // etcd omits prev_kv only when the previous revision is already compacted.
        if (!prev) return handle.fail(new CompactedError(revision - 1, revision));
        const deleted = this.toKeyValue(prev);
        deliver({ type: 'delete', kv: { ...deleted, modRevision: revision }, prev: deleted });
      });
      // etcd cancels a watch whose start was compacted away while it was reconnecting; the client
      // retries other stream failures by itself.
      watcher.on('error', (err) => {
        this.readCompacted().then(
          ({ compacted }) => handle.fail(after < compacted ? new CompactedError(after, compacted) : err),
          () => handle.fail(err),
        );
      });
    };
    start().catch((err: Error) => handle.fail(err));
    return { close: handle.close };
  }

  async compact(revision: number): Promise<void> {
    const { revision: current, compacted, modRevision } = await this.readCompacted();
    if (revision > current) throw new FutureRevisionError(revision, current);
    if (revision <= compacted) return;
    // Record the point first, guarded like the Kubernetes compactor so concurrent compactors
    // never move it backwards; then let etcd drop the history.
    const res = await this.client.kv.txn({
      compare: [{ key: this.compactedKey, target: 'Mod', result: 'Equal', mod_revision: modRevision }],
      success: [{ request_put: { key: this.compactedKey, value: Buffer.from(String(revision)) } }],
    });
    this.seen(res.header);
    if (res.succeeded) await this.client.kv.compact({ revision });
  }

  async compactedRevision(): Promise<number> {
    return (await this.readCompacted()).compacted;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopCompaction();
    for (const watch of this.watches) watch.fail(new StoreClosedError());
    this.client.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  private raw(key: string): Buffer {
    return Buffer.from(this.prefix + key);
  }

  private toKeyValue(kv: IKeyValue): KeyValue {
    return {
      key: kv.key.toString().slice(this.prefix.length),
      value: kv.value.toString(),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
    };
  }

  private seen(header: IResponseHeader): void {
    this.seenRevision = Math.max(this.seenRevision, Number(header.revision));
  }

  /** The current revision and the compaction point (with its key's mod revision, for CAS). */
  private async readCompacted(): Promise<{ revision: number; compacted: number; modRevision: number }> {
    this.checkOpen();
    const res = await this.client.kv.range({ key: this.compactedKey });
    this.seen(res.header);
    const kv = res.kvs[0];
    return {
      revision: Number(res.header.revision),
      compacted: kv ? Number(kv.value.toString()) : 0,
      modRevision: kv ? Number(kv.mod_revision) : 0,
    };
  }

  /** A read at `revision` failed: report it as the typed error when the revision is the cause. */
  private async explainReadFailure(revision: number, err: unknown): Promise<never> {
    if (revision) {
      const { revision: current, compacted } = await this.readCompacted();
      if (revision < compacted) throw new CompactedError(revision, compacted);
      if (revision > current) throw new FutureRevisionError(revision, current);
      // Compacted by another client of this etcd (a store with another prefix, etcdctl): etcd does
      // not say up to where, so report the least that must be true.
      if (err instanceof GRPCOutOfRangeError) throw new CompactedError(revision, revision + 1);
    }
    throw err;
  }

  /** A put or delete guarded by `expectedModRevision` (or by the key existing). */
  private async casWrite(key: string, expectedModRevision: number | undefined, op: IRequestOp) {
    const raw = this.raw(key);
    const res = await this.client.kv.txn({
      compare: [
        expectedModRevision === undefined
          ? { key: raw, target: 'Create', result: 'Greater', create_revision: 0 }
          : { key: raw, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision },
      ],
      success: [op],
      failure: [{ request_range: { key: raw } }],
    });
    this.seen(res.header);
    if (res.succeeded) return res;
    const current = res.responses[0]?.response_range.kvs[0];
    if (!current || expectedModRevision === undefined) throw new KeyNotFoundError(key);
    throw new ConflictError(key, expectedModRevision, Number(current.mod_revision));
  }
}
