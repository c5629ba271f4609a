// The in-process client controllers, the scheduler and simulated nodes use: the API server's own
// verb implementations (registry strategies, validation, defaulting, admission of deletes), minus
// HTTP. Objects come back as the same JSON shapes external clients see.

import type { V1DeleteOptions, V1Pod } from '@kubernetes/client-node';
import { bindPod } from '../../api/rest/bindPod';
import { createObject } from '../../api/rest/createObject';
import { deleteObject } from '../../api/rest/deleteObject';
import type { RestContext } from '../../api/rest/restContext';
import { updateObject } from '../../api/rest/updateObject';
import { isApiError } from '../../api/status';
import type { ObjectEvent } from '../../registry/objectStore';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import type { KubeObject } from '../../registry/strategy';
import type { Watch } from '../../store/store';
import type { ApiObject } from './apiObject';
import type { ResourceRef } from './resources';

export type TypedEvent<T extends ApiObject> =
  | { type: 'ADDED' | 'MODIFIED'; object: T; revision: number }
  | { type: 'DELETED'; object: T; revision: number };

export interface ResourceClient<T extends ApiObject> {
  readonly info: ResourceInfo;
  get(namespace: string | undefined, name: string): Promise<T | undefined>;
  list(namespace?: string): Promise<{ items: T[]; revision: number }>;
  create(obj: T, options?: { dryRun?: boolean }): Promise<T>;
  /** Replaces the object; 409 Conflict when its resourceVersion is stale. */
  update(obj: T): Promise<T>;
  /** Replaces only status; 409 Conflict when its resourceVersion is stale. */
  updateStatus(obj: T): Promise<T>;
  /** Read-modify-write that retries on conflicts. `change` edits (or replaces) the live copy;
   * returning undefined leaves the object as it is. Resolves undefined when the object is gone. */
  mutate(
    namespace: string | undefined,
    name: string,
    change: (live: T) => T | undefined,
    options?: { subresource?: 'status' },
  ): Promise<T | undefined>;
  /** Resolves false when the object was already gone. */
  delete(namespace: string | undefined, name: string, options?: V1DeleteOptions): Promise<boolean>;
  watch(
    namespace: string | undefined,
    afterRevision: number,
    onEvent: (event: TypedEvent<T>) => void,
    onError: (err: Error) => void,
  ): Watch;
}

export function isNotFound(err: unknown): boolean {
  return isApiError(err) && err.code === 404;
}

export function isConflict(err: unknown): boolean {
  return isApiError(err) && err.code === 409;
}

export class ClusterClient {
  /** `fieldManager` names the writer in managedFields, as kube-controller-manager's does. */
  constructor(
    readonly rest: RestContext,
    readonly fieldManager: string,
  ) {}

  withFieldManager(fieldManager: string): ClusterClient {
    return new ClusterClient(this.rest, fieldManager);
  }

  info(ref: ResourceRef<ApiObject>): ResourceInfo {
    const info = this.rest.catalog.lookup(ref.group, ref.version, ref.plural);
    if (!info) throw new Error(`resource ${ref.plural}.${ref.group}/${ref.version} is not served`);
    return info;
  }

  resource<T extends ApiObject>(ref: ResourceRef<T>): ResourceClient<T> {
    const rest = this.rest;
    const info = this.info(ref);
    const fieldManager = this.fieldManager;
    const replace = async (obj: T, subresource?: 'status') => {
      const meta = obj.metadata ?? {};
      const options = subresource ? { fieldManager, subresource } : { fieldManager };
      const { object } = await updateObject(
        rest,
        info,
        meta.namespace,
        meta.name ?? '',
        () => obj as unknown as KubeObject,
        options,
      );
      return object as unknown as T;
    };
    return {
      info,
      get: async (namespace, name) =>
        (await rest.objects.get(info, namespace, name)) as unknown as T | undefined,
      list: async (namespace) => {
        const { items, revision } = await rest.objects.list(info, namespace);
        return { items: items as unknown as T[], revision };
      },
      create: async (obj, options = {}) =>
        (await createObject(rest, info, obj.metadata?.namespace, obj as unknown as KubeObject, {
          fieldManager,
          ...options,
        })) as unknown as T,
      update: (obj) => replace(obj),
      updateStatus: (obj) => replace(obj, 'status'),
      mutate: async (namespace, name, change, options = {}) => {
        try {
          const { object } = await updateObject(
            rest,
            info,
            namespace,
            name,
            (live) => (change(live as unknown as T) as KubeObject | undefined) ?? live,
            options.subresource ? { fieldManager, subresource: options.subresource } : { fieldManager },
          );
          return object as unknown as T;
        } catch (err) {
          if (isNotFound(err)) return undefined;
          throw err;
        }
      },
      delete: async (namespace, name, options = {}) => {
        try {
          await deleteObject(rest, info, namespace, name, options);
          return true;
        } catch (err) {
          if (isNotFound(err)) return false;
          throw err;
        }
      },
      watch: (namespace, afterRevision, onEvent, onError) =>
        rest.objects.watch(
          info,
          namespace,
          afterRevision,
          (event: ObjectEvent) =>
            onEvent({ type: event.type, object: event.object as unknown as T, revision: event.revision }),
          onError,
        ),
    };
  }

  /** Writes a pods/binding, as the scheduler does; 409 when the pod is already bound. Like
   * Kubernetes' BindingREST (and our HTTP handler), the binding records no managedFields entry. */
  async bind(pod: V1Pod, nodeName: string): Promise<V1Pod> {
    const pods = this.rest.catalog.lookup('', 'v1', 'pods') as ResourceInfo;
    const meta = pod.metadata ?? {};
    return bindPod(this.rest, pods, meta.namespace ?? 'default', meta.name ?? '', nodeName);
  }
}
