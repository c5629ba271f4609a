// The update path shared by PUT, PATCH, /status and /scale: read, let the caller compute the new
// object, keep server-owned metadata, apply the strategy, then compare-and-swap (retrying when the
// caller did not pin a resourceVersion, as Kubernetes' GuaranteedUpdate does).

import { isDeepStrictEqual } from 'node:util';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import { apiVersionOf } from '../../registry/resourceCatalog';
import { strategyFor } from '../../registry/strategies';
import type { KubeObject } from '../../registry/strategy';
import { ConflictError } from '../../store/errors';
import { recordUpdate } from '../patch/serverSideApply';
import { badRequest, conflict, notFound } from '../status';
import type { WriteOptions } from './createObject';
import { assertValid, specChanged } from './objectValidation';
import { pruneObject } from './pruneObject';
import { groupResource, type RestContext } from './restContext';
import { toApiError } from './storeErrors';

export interface UpdateOptions extends WriteOptions {
  /** `status` and `approval` write only status; other subresources behave like the main resource. */
  subresource?: string;
}

/** Computes the desired object from the live one (given without resourceVersion); may throw ApiErrors. */
export type Mutation = (live: KubeObject) => KubeObject | Promise<KubeObject>;

const maxAttempts = 10;

/** Subresources that write only `status` (CSR approval writes its status conditions). */
const statusSubresources = new Set(['status', 'approval']);

function withoutVolatile(obj: KubeObject): KubeObject {
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = obj.metadata ?? {};
  return { ...obj, metadata: meta };
}

/** Copies what clients may not change and merges the status/spec split. */
async function prepare(
  ctx: RestContext,
  info: ResourceInfo,
  next: KubeObject,
  live: KubeObject,
  subresource?: string,
): Promise<KubeObject> {
  const strategy = strategyFor(info);
  const liveMeta = live.metadata ?? {};
  let obj = pruneObject(next);
  if (subresource !== undefined && statusSubresources.has(subresource)) {
    obj = {
      ...live,
      status: next.status,
      metadata: { ...liveMeta, resourceVersion: next.metadata?.resourceVersion },
    };
  }
  obj.metadata ??= {};
  const meta = obj.metadata;
  if (meta.name !== undefined && meta.name !== liveMeta.name) {
    throw badRequest(
      `the name of the object (${meta.name}) does not match the name on the URL (${liveMeta.name})`,
    );
  }
  if (meta.uid && meta.uid !== liveMeta.uid) {
    throw conflict(
      groupResource(info),
      liveMeta.name ?? '',
      `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${liveMeta.uid}`,
    );
  }
  meta.name = liveMeta.name;
  meta.namespace = liveMeta.namespace;
  meta.uid = liveMeta.uid;
  meta.creationTimestamp = liveMeta.creationTimestamp;
  meta.deletionTimestamp = liveMeta.deletionTimestamp;
  meta.deletionGracePeriodSeconds = liveMeta.deletionGracePeriodSeconds;
  // Cluster-scoped objects have no namespace key at all; an undefined one would make every no-op
  // update look like a change.
  if (meta.namespace === undefined) delete meta.namespace;
  if (meta.deletionTimestamp === undefined) delete meta.deletionTimestamp;
  if (meta.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
  meta.managedFields ??= liveMeta.managedFields;
  if (subresource === undefined || !statusSubresources.has(subresource)) {
    strategy.defaults?.(obj);
    if (strategy.hasStatus) {
      if (live.status === undefined) delete obj.status;
      else obj.status = live.status;
    }
    await strategy.prepareForUpdate?.(obj, live, { now: ctx.now(), ...ctx.allocations });
  }
  if (strategy.tracksGeneration) {
    const generation = liveMeta.generation ?? 1;
    meta.generation = specChanged(obj, live) ? generation + 1 : generation;
  }
  assertValid(info, strategy, obj, live);
  return obj;
}

/** Records `manager`'s write in managedFields (operation Update). */
export function recordWrite(
  info: ResourceInfo,
  old: KubeObject | undefined,
  obj: KubeObject,
  manager: string,
  now: Date,
  subresource?: string,
): KubeObject {
  const gvk = { group: info.group, version: info.version, kind: info.kind };
  const options = { gvk, apiVersion: apiVersionOf(info), now, ...(subresource ? { subresource } : {}) };
  return recordUpdate(old, obj, manager, 'Update', options) as KubeObject;
}

function namespaceFinalizers(obj: KubeObject): string[] {
  return (obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
}

export interface UpdateResult {
  object: KubeObject;
  /** False when the write changed nothing and was skipped. */
  changed: boolean;
  /** True when removing the last finalizer of a deleting object removed the object itself. */
  deleted?: boolean;
}

export async function updateObject(
  ctx: RestContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  mutate: Mutation,
  options: UpdateOptions = {},
): Promise<UpdateResult> {
  const gr = groupResource(info);
  for (let attempt = 0; ; attempt++) {
    const live = await ctx.objects.get(info, namespace, name);
    if (!live) throw notFound(gr, name);
    const liveRv = live.metadata?.resourceVersion ?? '';
    // The mutation sees the live object without its resourceVersion, so only a version the
    // client sent (PUT body, or a patch that sets one) pins the write; others retry on conflict.
    const current = structuredClone(live);
    if (current.metadata) delete current.metadata.resourceVersion;
    const desired = await mutate(current);
    const pinned = desired.metadata?.resourceVersion;
    if (pinned && pinned !== liveRv) throw conflict(gr, name);
    let obj = await prepare(ctx, info, desired, live, options.subresource);
    // Before the managedFields bookkeeping, which changes nothing this compares.
    if (isDeepStrictEqual(withoutVolatile(obj), withoutVolatile(live)))
      return { object: live, changed: false };
    if (options.fieldManager)
      obj = recordWrite(info, live, obj, options.fieldManager, ctx.now(), options.subresource);
    const meta = obj.metadata ?? {};
    // A namespace also waits for spec.finalizers (ShouldDeleteNamespaceDuringUpdate). An object
    // still in its grace period stays: a terminating pod's status writes must not remove it before
    // its kubelet has stopped it (ShouldDeleteDuringUpdate).
    const specFinalizers = info.group === '' && info.plural === 'namespaces' ? namespaceFinalizers(obj) : [];
    const finished =
      meta.deletionTimestamp &&
      (live.metadata?.deletionGracePeriodSeconds ?? 0) === 0 &&
      (meta.finalizers ?? []).length === 0 &&
      specFinalizers.length === 0;
    if (options.dryRun) return { object: obj, changed: true };
    try {
      if (finished) {
        const { object } = await ctx.objects.delete(info, namespace, name, Number(liveRv));
        return { object, changed: true, deleted: true };
      }
      return { object: await ctx.objects.update(info, obj, Number(liveRv)), changed: true };
    } catch (err) {
      if (err instanceof ConflictError && !pinned && attempt < maxAttempts) continue;
      throw toApiError(err, gr, name);
    }
  }
}
