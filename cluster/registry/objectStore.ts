// Kubernetes objects over the key-value Store: keys `/registry/<group>/<plural>/<ns>/<name>`,
// JSON values without resourceVersion (the store's modRevision is the resourceVersion).

import type { KeyValue, ListOptions, ListResult, Store, Watch } from '../store/store';
import { conversionFor } from './conversions';
import { apiVersionOf, type ResourceInfo } from './resourceCatalog';
import type { KubeObject } from './strategy';

export interface ObjectList {
  items: KubeObject[];
  revision: number;
  continue?: string;
}

export type ObjectEvent =
  | {
      type: 'ADDED' | 'MODIFIED';
      object: KubeObject;
      revision: number;
      /** The object before this change, decoded on demand: few watchers look at it. */
      previous?: () => KubeObject;
    }
  | { type: 'DELETED'; object: KubeObject; revision: number };

/** One storage location per group and plural, whatever version (or convertible group) a request names. */
export function storageLocation(info: ResourceInfo): string {
  const group = conversionFor(info)?.storageGroup ?? info.group;
  return `/registry/${group || 'core'}/${info.plural}/`;
}

/** How every value encode writes begins: metadata first, so readers can splice in the
 * resourceVersion (and apiVersion and kind) without parsing the object. */
const storedMetadataStart = '{"metadata":{';

export class ObjectStore {
  constructor(readonly store: Store) {}

  key(info: ResourceInfo, namespace: string | undefined, name: string): string {
    return info.namespaced
      ? `${storageLocation(info)}${namespace}/${name}`
      : `${storageLocation(info)}${name}`;
  }

  /** All objects of a resource, or those in one namespace. */
  prefix(info: ResourceInfo, namespace?: string): string {
    return info.namespaced && namespace ? `${storageLocation(info)}${namespace}/` : storageLocation(info);
  }

  decode(info: ResourceInfo, kv: KeyValue): KubeObject {
    const stored = JSON.parse(kv.value) as KubeObject;
    const obj = conversionFor(info)?.fromStorage(stored) ?? stored;
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    obj.metadata = { ...obj.metadata, resourceVersion: String(kv.modRevision) };
    return obj;
  }

  /**
   * What JSON.stringify(decode(info, kv)) gives, up to the order of keys. A value encode wrote is
   * spliced rather than parsed and serialised again, which is most of the cost of a large LIST.
   */
  json(info: ResourceInfo, kv: KeyValue): string {
    if (conversionFor(info) || !kv.value.startsWith(storedMetadataStart)) {
      return JSON.stringify(this.decode(info, kv));
    }
    const rest = kv.value.slice(storedMetadataStart.length);
    const head = `{"apiVersion":${JSON.stringify(apiVersionOf(info))},"kind":${JSON.stringify(info.kind)}`;
    return `${head},"metadata":{"resourceVersion":"${kv.modRevision}"${rest.startsWith('}') ? '' : ','}${rest}`;
  }

  private encode(info: ResourceInfo, obj: KubeObject): string {
    const conversion = conversionFor(info);
    const stored = conversion ? conversion.toStorage(obj) : obj;
    const { resourceVersion: _rv, ...metadata } = stored.metadata ?? {};
    // The kind and apiVersion are the request's; decode sets them per reader. Metadata goes first
    // (see storedMetadataStart).
    const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = stored;
    return JSON.stringify({ metadata, ...rest });
  }

  /** The stored form of one object, for readers that want its JSON (see json). */
  getStored(info: ResourceInfo, namespace: string | undefined, name: string): Promise<KeyValue | undefined> {
    return this.store.get(this.key(info, namespace, name));
  }

  /** A page of stored forms, for readers that decode only what they must (see json). */
  listStored(
    info: ResourceInfo,
    namespace: string | undefined,
    options: ListOptions = {},
  ): Promise<ListResult> {
    return this.store.list(this.prefix(info, namespace), options);
  }

  async get(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject | undefined> {
    const kv = await this.getStored(info, namespace, name);
    return kv && this.decode(info, kv);
  }

  async list(
    info: ResourceInfo,
    namespace: string | undefined,
    options: ListOptions = {},
  ): Promise<ObjectList> {
    const result = await this.listStored(info, namespace, options);
    const list: ObjectList = {
      items: result.items.map((kv) => this.decode(info, kv)),
      revision: result.revision,
    };
    if (result.continue) list.continue = result.continue;
    return list;
  }

  async create(info: ResourceInfo, obj: KubeObject): Promise<KubeObject> {
    const meta = obj.metadata ?? {};
    const kv = await this.store.create(
      this.key(info, meta.namespace, meta.name ?? ''),
      this.encode(info, obj),
    );
    return this.decode(info, kv);
  }

  /** Compare-and-swap on `expectedRevision` when given. */
  async update(info: ResourceInfo, obj: KubeObject, expectedRevision?: number): Promise<KubeObject> {
    const meta = obj.metadata ?? {};
    const kv = await this.store.update(
      this.key(info, meta.namespace, meta.name ?? ''),
      this.encode(info, obj),
      expectedRevision,
    );
    return this.decode(info, kv);
  }

  async delete(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    expectedRevision?: number,
  ): Promise<{ object: KubeObject; revision: number }> {
    const { deleted, revision } = await this.store.delete(this.key(info, namespace, name), expectedRevision);
    const object = this.decode(info, deleted);
    // Kubernetes reports a deleted object at the revision of its deletion.
    object.metadata = { ...object.metadata, resourceVersion: String(revision) };
    return { object, revision };
  }

  watch(
    info: ResourceInfo,
    namespace: string | undefined,
    afterRevision: number | undefined,
    onEvent: (event: ObjectEvent) => void,
    onError: (err: Error) => void,
  ): Watch {
    const options = afterRevision === undefined ? {} : { afterRevision };
    return this.store.watch(
      this.prefix(info, namespace),
      options,
      (event) => {
        if (event.type === 'delete') {
          const object = this.decode(info, event.prev);
          object.metadata = { ...object.metadata, resourceVersion: String(event.kv.modRevision) };
          onEvent({ type: 'DELETED', object, revision: event.kv.modRevision });
          return;
        }
        const object = this.decode(info, event.kv);
        const type = event.kv.createRevision === event.kv.modRevision ? 'ADDED' : 'MODIFIED';
        const { prev } = event;
        onEvent(
          prev
            ? { type, object, revision: event.kv.modRevision, previous: () => this.decode(info, prev) }
            : { type, object, revision: event.kv.modRevision },
        );
      },
      onError,
    );
  }
}
