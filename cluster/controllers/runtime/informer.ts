// A shared informer: lists a resource, then watches from the list's revision, keeping a local
// cache with indexes and telling handlers about changes. A failed watch (a compacted revision, a
// closed store) relists and reconciles the cache, reporting what changed meanwhile, as client-go's
// Reflector does. A resync period re-delivers every cached object as an update.
//
// Cached objects are shared by every reader: never modify one; clone it first.

import type { Logger } from '../../log';
import type { Watch } from '../../store/store';
import type { ApiObject } from './apiObject';
import type { ResourceClient, TypedEvent } from './clusterClient';
import { objectKey } from './objectKey';

export interface InformerHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(old: T, obj: T): void;
  onDelete?(obj: T): void;
}

export type IndexFunction<T> = (obj: T) => string[];

export interface InformerOptions {
  /** Re-deliver every cached object as an update this often; 0 disables. */
  resyncMs?: number;
  /** Wait before relisting after a failed watch. */
  relistDelayMs?: number;
  /** Applied to each object before it is cached (and handed to handlers); may change it in place,
   * since every listed or watched object is a fresh copy. */
  transform?: (obj: ApiObject) => void;
  log?: Logger;
}

/** Controllers and the scheduler never read managedFields, and they are half of a typical pod's
 * decoded size, so shared caches drop them, as kube-controller-manager's and kube-scheduler's
 * informers do. Writes from cached copies keep the stored managedFields: an update that carries
 * none leaves them to the API server. */
export function stripManagedFields(obj: ApiObject): void {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
}

export class Informer<T extends ApiObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly indexers = new Map<string, IndexFunction<T>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private watch: Watch | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private relistTimer: NodeJS.Timeout | undefined;
  private synced: Promise<void> | undefined;
  private stopped = false;
  private lastRevision = 0;

  constructor(
    readonly client: ResourceClient<T>,
    private readonly options: InformerOptions = {},
  ) {}

  /** Handlers added after the first list get the cached objects as adds, like client-go, unless
   * `replay` is false (for readers that take the current list themselves). */
  addHandlers(handlers: InformerHandlers<T>, options: { replay?: boolean } = {}): void {
    this.handlers.push(handlers);
    if (this.synced && options.replay !== false) for (const obj of this.cache.values()) handlers.onAdd?.(obj);
  }

  /** Stops calling handlers given to addHandlers. */
  removeHandlers(handlers: InformerHandlers<T>): void {
    const at = this.handlers.indexOf(handlers);
    if (at >= 0) this.handlers.splice(at, 1);
  }

  addIndex(name: string, index: IndexFunction<T>): void {
    if (this.indexers.has(name)) return;
    this.indexers.set(name, index);
    const entries = new Map<string, Set<string>>();
    this.indexes.set(name, entries);
    for (const [key, obj] of this.cache) this.indexOne(name, index, key, obj);
  }

  hasIndex(name: string): boolean {
    return this.indexers.has(name);
  }

  byIndex(name: string, value: string): T[] {
    const keys = this.indexes.get(name)?.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const key of keys) {
      const obj = this.cache.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  getByKey(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(namespace?: string): T[] {
    const all = [...this.cache.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata?.namespace === namespace);
  }

  /** Lists and starts watching; resolves once the cache holds the first list. Idempotent. */
  start(): Promise<void> {
    this.synced ??= this.relist();
    return this.synced;
  }

  stop(): void {
    this.stopped = true;
    this.watch?.close();
    clearInterval(this.resyncTimer);
    clearTimeout(this.relistTimer);
  }

  private async relist(): Promise<void> {
    const { items, revision } = await this.client.list();
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const obj of items) {
      this.options.transform?.(obj);
      const key = objectKey(obj);
      seen.add(key);
      this.store(key, obj);
    }
    for (const [key, obj] of this.cache) {
      if (!seen.has(key)) this.remove(key, obj);
    }
    this.lastRevision = revision;
    this.startWatch();
    if (!this.resyncTimer && this.options.resyncMs) {
      this.resyncTimer = setInterval(() => this.resync(), this.options.resyncMs);
      this.resyncTimer.unref();
    }
  }

  private startWatch(): void {
    this.watch = this.client.watch(
      undefined,
      this.lastRevision,
      (event) => this.apply(event),
      (err) => {
        if (this.stopped) return;
        this.options.log?.debug('informer watch ended; relisting', {
          resource: this.client.info.plural,
          error: err.message,
        });
        this.relistTimer = setTimeout(() => {
          this.relist().catch((cause: unknown) => {
            this.options.log?.warn('informer relist failed', {
              resource: this.client.info.plural,
              error: String(cause),
            });
            this.startWatch();
          });
        }, this.options.relistDelayMs ?? 100);
      },
    );
  }

  private apply(event: TypedEvent<T>): void {
    this.lastRevision = event.revision;
    this.options.transform?.(event.object);
    const key = objectKey(event.object);
    if (event.type === 'DELETED') {
      const old = this.cache.get(key);
      if (old) this.remove(key, event.object);
      return;
    }
    this.store(key, event.object);
  }

  private store(key: string, obj: T): void {
    const old = this.cache.get(key);
    if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) return;
    if (old) this.unindex(key, old);
    this.cache.set(key, obj);
    for (const [name, index] of this.indexers) this.indexOne(name, index, key, obj);
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(old, obj);
      else h.onAdd?.(obj);
    }
  }

  private remove(key: string, obj: T): void {
    const old = this.cache.get(key);
    if (old) this.unindex(key, old);
    this.cache.delete(key);
    for (const h of this.handlers) h.onDelete?.(obj);
  }

  private resync(): void {
    for (const obj of this.cache.values()) for (const h of this.handlers) h.onUpdate?.(obj, obj);
  }

  private indexOne(name: string, index: IndexFunction<T>, key: string, obj: T): void {
    const entries = this.indexes.get(name);
    if (!entries) return;
    for (const value of index(obj)) {
      let keys = entries.get(value);
      if (!keys) {
        keys = new Set();
        entries.set(value, keys);
      }
      keys.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, index] of this.indexers) {
      const entries = this.indexes.get(name);
      for (const value of index(obj)) {
        const keys = entries?.get(value);
        keys?.delete(key);
        if (keys?.size === 0) entries?.delete(value);
      }
    }
  }
}

/** The common index: objects by namespace. */
export const byNamespace = 'namespace';
export const namespaceIndex: IndexFunction<ApiObject> = (obj) =>
  obj.metadata?.namespace ? [obj.metadata.namespace] : [];
