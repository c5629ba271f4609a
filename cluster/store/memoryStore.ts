// The in-memory Store for unit tests: same semantics as the SQLite and etcd backends (the shared
// conformance suite checks it), nothing persisted.
import { type CompactionOptions, startAutoCompaction } from './autoCompaction';
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  StoreClosedError,
} from './errors';
import { checkKeyPath } from './keyRange';
import { encodeContinue, resolveListPosition } from './listPaging';
import type { KeyValue, ListOptions, ListResult, Store, Watch, WatchEvent, WatchOptions } from './store';
import { failedWatch, WatchHub } from './watchHub';

export function createMemoryStore(options: CompactionOptions = {}): Store {
  return new MemoryStore(options);
}

class MemoryStore implements Store {
  private revision = 0;
  private compacted = 0;
  private closed = false;
  private readonly current = new Map<string, KeyValue>();
  /** Every write after the compaction point, in revision order. */
  private log: WatchEvent[] = [];
  private readonly hub = new WatchHub();
  private readonly stopCompaction: () => void;

  constructor(options: CompactionOptions) {
    this.stopCompaction = startAutoCompaction(this, options);
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.revision;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    return this.current.get(key);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    checkKeyPath(prefix);
    const { revision, startAfter } = resolveListPosition(prefix, options, this.revision, this.compacted);
    const snapshot = this.snapshot(prefix, revision);
    let keys = [...snapshot.keys()].sort();
    if (startAfter !== undefined) keys = keys.filter((key) => key > startAfter);
    const limit = options.limit && options.limit > 0 ? options.limit : keys.length;
    const items = keys.slice(0, limit).map((key) => snapshot.get(key) as KeyValue);
    const last = items.at(-1);
    return keys.length > limit && last
      ? { items, revision, continue: encodeContinue(revision, last.key) }
      : { items, revision };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    checkKeyPath(prefix);
    let n = 0;
    for (const key of this.current.keys()) if (key.startsWith(prefix)) n++;
    return n;
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.checkOpen();
    checkKeyPath(key);
    if (this.current.has(key)) throw new KeyExistsError(key);
    const revision = this.revision + 1;
    const kv = Object.freeze({ key, value, createRevision: revision, modRevision: revision });
    this.commit({ type: 'put', kv });
    return kv;
  }

  async update(key: string, value: string, expectedModRevision?: number): Promise<KeyValue> {
    this.checkOpen();
    const prev = this.precondition(key, expectedModRevision);
    const kv = Object.freeze({
      key,
      value,
      createRevision: prev.createRevision,
      modRevision: this.revision + 1,
    });
    this.commit({ type: 'put', kv, prev });
    return kv;
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ deleted: KeyValue; revision: number }> {
    this.checkOpen();
    const prev = this.precondition(key, expectedModRevision);
    const revision = this.revision + 1;
    this.commit({ type: 'delete', kv: Object.freeze({ ...prev, modRevision: revision }), prev });
    return { deleted: prev, revision };
  }

  watch(
    prefix: string,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
    onError: (err: Error) => void,
  ): Watch {
    checkKeyPath(prefix);
    if (this.closed) return failedWatch(onError, new StoreClosedError());
    const after = options.afterRevision ?? this.revision;
    if (after < this.compacted) return failedWatch(onError, new CompactedError(after, this.compacted));
    const backlog = this.log.filter((e) => e.kv.modRevision > after && e.kv.key.startsWith(prefix));
    return this.hub.add(prefix, after, backlog, onEvent, onError);
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    if (revision <= this.compacted) return;
    this.compacted = revision;
    this.log = this.log.filter((e) => e.kv.modRevision > revision);
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.compacted;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopCompaction();
    this.hub.failAll(new StoreClosedError());
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  private precondition(key: string, expectedModRevision: number | undefined): KeyValue {
    const prev = this.current.get(key);
    if (!prev) throw new KeyNotFoundError(key);
    if (expectedModRevision !== undefined && prev.modRevision !== expectedModRevision) {
      throw new ConflictError(key, expectedModRevision, prev.modRevision);
    }
    return prev;
  }

  private commit(event: WatchEvent): void {
    this.revision = event.kv.modRevision;
    if (event.type === 'put') this.current.set(event.kv.key, event.kv);
    else this.current.delete(event.kv.key);
    this.log.push(event);
    this.hub.publish(event);
  }

  /** The keys under `prefix` as they were at `revision`: today's values with later writes undone. */
  private snapshot(prefix: string, revision: number): Map<string, KeyValue> {
    const snapshot = new Map<string, KeyValue>();
    for (const [key, kv] of this.current) if (key.startsWith(prefix)) snapshot.set(key, kv);
    for (let i = this.log.length - 1; i >= 0; i--) {
      const event = this.log[i] as WatchEvent;
      if (event.kv.modRevision <= revision) break;
      if (!event.kv.key.startsWith(prefix)) continue;
      if (event.prev) snapshot.set(event.kv.key, event.prev);
      else snapshot.delete(event.kv.key);
    }
    return snapshot;
  }
}
