// The versioned, watchable key-value store under the API server, with etcd's semantics:
// one global revision counter (the Kubernetes resourceVersion), compare-and-swap writes,
// consistent paged lists, and watches that resume from any revision not yet compacted.
//
// Keys and prefixes start with '/' (e.g. `/registry/pods/default/web`). Prefix matching is plain
// string matching, so callers pass prefixes ending in '/': `/registry/pods/` does not match
// `/registry/podsecurity/...`, but `/registry/pods` would.
// Revisions increase but need not be contiguous (the etcd backend spends some on bookkeeping).

/** One stored value. `value` is the object's JSON text, exactly as written. */
export interface KeyValue {
  key: string;
  value: string;
  /** Revision at which the key was (last) created. */
  createRevision: number;
  /** Revision of the last write to the key; the object's resourceVersion. */
  modRevision: number;
}

export interface ListOptions {
  /** Maximum items to return; 0 or undefined means all. */
  limit?: number;
  /** Opaque token from a previous page; pages share the first page's revision. */
  continue?: string;
  /** Read at this past revision; default: current. Ignored when `continue` is given.
   * Throws CompactedError below compactedRevision() and FutureRevisionError above the current one. */
  revision?: number;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the whole list (all pages) is consistent at. */
  revision: number;
  /** Set when more items remain. */
  continue?: string;
}

/** A delete event's `kv` is the deleted value stamped with the delete's revision as `modRevision`;
 * `prev` is the value as it was before. A put's `prev` is absent for a create. */
export type WatchEvent =
  | { type: 'put'; kv: KeyValue; prev?: KeyValue }
  | { type: 'delete'; kv: KeyValue; prev: KeyValue };

export interface WatchOptions {
  /** Deliver events with modRevision > afterRevision; default: only new events.
   * Must be >= compactedRevision(), else the watch fails with CompactedError. */
  afterRevision?: number;
}

export interface Watch {
  /** Stops delivery; idempotent. */
  close(): void;
}

export interface Store {
  /** The newest revision written (0 for an empty store). */
  currentRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  /** Keys starting with `prefix`, in key order. Throws CompactedError for a compacted revision
   * and InvalidContinueError for a malformed token. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  count(prefix: string): Promise<number>;
  /** Throws KeyExistsError when the key exists. Returns the stored value. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Compare-and-swap when `expectedModRevision` is given (ConflictError on mismatch);
   * KeyNotFoundError when absent. Returns the stored value. */
  update(key: string, value: string, expectedModRevision?: number): Promise<KeyValue>;
  /** Same preconditions as update. Returns the deleted value; the delete has its own revision,
   * delivered to watchers as `kv.modRevision` of the delete event. */
  delete(key: string, expectedModRevision?: number): Promise<{ deleted: KeyValue; revision: number }>;
  /** Events for keys under `prefix`, in revision order, delivered asynchronously (never inside
   * `watch()` itself). Failures — CompactedError when `afterRevision` is older than the compaction
   * point, StoreClosedError on close(), a lost etcd watch — arrive once through onError and end the
   * watch; this call itself does not throw for them. */
  watch(
    prefix: string,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
    onError: (err: Error) => void,
  ): Watch;
  /** Forget history before `revision` (keeping the state at `revision`): later lists at older
   * revisions and watches from older `afterRevision`s get CompactedError. A no-op when `revision`
   * is not above compactedRevision(); FutureRevisionError above the current revision. */
  compact(revision: number): Promise<void>;
  /** The oldest revision still readable/watchable (0 when never compacted). */
  compactedRevision(): Promise<number>;
  /** Ends open watches with StoreClosedError; later calls reject with StoreClosedError. Idempotent. */
  close(): Promise<void>;
}
