// The delete path: preconditions, finalizers (mark deletionTimestamp and keep the object; Orphan and
// Foreground propagation add the garbage collector's finalizers), graceful
// pod deletion on a running node, namespaces turning Terminating, otherwise removal at once.

import type { V1DeleteOptions, V1Pod } from '@kubernetes/client-node';
import { builtinCatalog } from '../../registry/builtinResources';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import type { KubeObject } from '../../registry/strategy';
import { ConflictError } from '../../store/errors';
import { conflict, notFound } from '../status';
import { groupResource, type RestContext, timestamp } from './restContext';
import { toApiError } from './storeErrors';

export interface DeleteResult {
  object: KubeObject;
  /** False when the object still exists (finalizers pending or graceful termination). */
  gone: boolean;
}

const nodes = builtinCatalog.lookup('', 'v1', 'nodes') as ResourceInfo;

function checkPreconditions(info: ResourceInfo, live: KubeObject, options: V1DeleteOptions): void {
  const meta = live.metadata ?? {};
  const pre = options.preconditions;
  if (pre?.uid && pre.uid !== meta.uid) {
    throw conflict(
      groupResource(info),
      meta.name ?? '',
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
    throw conflict(
      groupResource(info),
      meta.name ?? '',
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`,
    );
  }
}

export const orphanFinalizer = 'orphan';
export const foregroundFinalizer = 'foregroundDeletion';

/** Orphan and Foreground deletion hand dependents to the garbage collector through finalizers. */
function withPropagationFinalizers(finalizers: string[], policy: string | undefined): string[] {
  const others = finalizers.filter((f) => f !== orphanFinalizer && f !== foregroundFinalizer);
  if (policy === 'Orphan') return [...others, orphanFinalizer];
  if (policy === 'Foreground') return [...others, foregroundFinalizer];
  return policy === 'Background' ? others : finalizers;
}

/** The grace period a delete asks for; negative values count as 1 s, as in Kubernetes. */
function requestedGrace(options: V1DeleteOptions): number | undefined {
  const grace = options.gracePeriodSeconds;
  return grace !== undefined && grace < 0 ? 1 : grace;
}

/** Seconds a pod gets to stop, or undefined when it can go at once (no node runs it). */
async function podGracePeriod(
  ctx: RestContext,
  pod: V1Pod,
  options: V1DeleteOptions,
): Promise<number | undefined> {
  const grace = requestedGrace(options) ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  const phase = pod.status?.phase;
  if (grace <= 0 || !pod.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return undefined;
  const node = await ctx.objects.get(nodes, undefined, pod.spec.nodeName);
  return node ? grace : undefined;
}

function markedForDeletion(live: KubeObject, finalizers: string[], at: Date, grace: number): KubeObject {
  const next = structuredClone(live);
  next.metadata = {
    ...live.metadata,
    deletionTimestamp: timestamp(at) as unknown as Date,
    deletionGracePeriodSeconds: grace,
  };
  if (finalizers.length > 0) next.metadata.finalizers = finalizers;
  return next;
}

/**
 * A delete of an object already being deleted (rest.BeforeDelete): while a grace period runs it
 * may only shorten it, and its finalizers stay as they are; once the grace period is 0, only
 * finalizers keep the object.
 */
function deletionAgain(live: KubeObject, options: V1DeleteOptions, finalizers: string[], now: Date) {
  const meta = live.metadata ?? {};
  const current = meta.deletionGracePeriodSeconds ?? 0;
  const since = Date.parse(String(meta.deletionTimestamp));
  if (current > 0) {
    const requested = requestedGrace(options);
    if (requested === undefined || requested >= current) return live;
    if (requested === 0 && finalizers.length === 0) return undefined;
    const at = Math.max(now.getTime(), since - (current - requested) * 1000);
    return markedForDeletion(live, finalizers, new Date(at), requested);
  }
  if (finalizers.length === 0) return undefined;
  if (finalizers.join() === (meta.finalizers ?? []).join()) return live;
  return markedForDeletion(live, finalizers, new Date(since), 0);
}

/** What the delete should do instead of removing the object now, if anything. */
async function pendingDeletion(
  ctx: RestContext,
  info: ResourceInfo,
  live: KubeObject,
  options: V1DeleteOptions,
): Promise<KubeObject | undefined> {
  const meta = live.metadata ?? {};
  const now = ctx.now();
  const isNamespace = info.group === '' && info.plural === 'namespaces';
  if (isNamespace) {
    if (meta.deletionTimestamp) return live;
    const next = structuredClone(live);
    next.metadata = {
      ...meta,
      deletionTimestamp: timestamp(now) as unknown as Date,
      deletionGracePeriodSeconds: 0,
    };
    next.status = { ...(live.status as object), phase: 'Terminating' };
    return next;
  }
  const finalizers = withPropagationFinalizers(meta.finalizers ?? [], options.propagationPolicy);
  if (meta.deletionTimestamp) return deletionAgain(live, options, finalizers, now);
  const grace =
    info.group === '' && info.plural === 'pods'
      ? await podGracePeriod(ctx, live as V1Pod, options)
      : undefined;
  if (finalizers.length === 0 && grace === undefined) return undefined;
  return markedForDeletion(live, finalizers, new Date(now.getTime() + (grace ?? 0) * 1000), grace ?? 0);
}

export async function deleteObject(
  ctx: RestContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  options: V1DeleteOptions = {},
): Promise<DeleteResult> {
  const gr = groupResource(info);
  const dryRun = (options.dryRun ?? []).includes('All');
  for (let attempt = 0; ; attempt++) {
    const live = await ctx.objects.get(info, namespace, name);
    if (!live) throw notFound(gr, name);
    checkPreconditions(info, live, options);
    const rv = Number(live.metadata?.resourceVersion);
    try {
      const pending = await pendingDeletion(ctx, info, live, options);
      if (pending) {
        if (pending === live || dryRun) return { object: pending, gone: false };
        return { object: await ctx.objects.update(info, pending, rv), gone: false };
      }
      if (dryRun) return { object: live, gone: true };
      const { object } = await ctx.objects.delete(info, namespace, name, rv);
      return { object, gone: true };
    } catch (err) {
      if (err instanceof ConflictError && attempt < 10) continue;
      throw toApiError(err, gr, name);
    }
  }
}
