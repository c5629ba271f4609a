// The create path: server-owned metadata, defaults, status reset, validation, namespace checks,
// then the store write (skipped for dryRun).

import type { V1Namespace } from '@kubernetes/client-node';
import { builtinCatalog } from '../../registry/builtinResources';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import { strategyFor } from '../../registry/strategies';
import type { KubeObject } from '../../registry/strategy';
import { alreadyExists, badRequest, forbidden, notFound } from '../status';
import { admitDefaultStorageClass } from './defaultStorageClass';
import { assertValid } from './objectValidation';
import { pruneObject } from './pruneObject';
import { groupResource, type RestContext, timestamp } from './restContext';
import { admitPodServiceAccount } from './serviceAccountAdmission';
import { toApiError } from './storeErrors';
import { recordWrite } from './updateObject';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

const nameSuffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(): string {
  let out = '';
  for (let i = 0; i < 5; i++)
    out += nameSuffixAlphabet[Math.floor(Math.random() * nameSuffixAlphabet.length)];
  return out;
}

const namespaces = builtinCatalog.lookup('', 'v1', 'namespaces') as ResourceInfo;

/** New content may only go into an existing namespace that is not being deleted. */
async function assertNamespaceWritable(
  ctx: RestContext,
  info: ResourceInfo,
  namespace: string,
): Promise<void> {
  const ns = (await ctx.objects.get(namespaces, undefined, namespace)) as V1Namespace | undefined;
  if (!ns) throw notFound(groupResource(namespaces), namespace);
  if (ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') {
    throw forbidden(
      groupResource(info),
      '',
      `unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}

/** Sets the object's namespace from the request path, rejecting a contradicting body. */
function bindNamespace(info: ResourceInfo, obj: KubeObject, namespace: string | undefined): void {
  obj.metadata ??= {};
  const meta = obj.metadata;
  if (!info.namespaced) {
    delete meta.namespace;
    return;
  }
  if (meta.namespace && namespace && meta.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  meta.namespace = meta.namespace || namespace || 'default';
}

export async function createObject(
  ctx: RestContext,
  info: ResourceInfo,
  namespace: string | undefined,
  obj: KubeObject,
  options: WriteOptions = {},
): Promise<KubeObject> {
  const strategy = strategyFor(info);
  pruneObject(obj);
  bindNamespace(info, obj, namespace);
  const meta = obj.metadata ?? {};
  if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix();
  const now = ctx.now();
  meta.uid = ctx.newUid();
  meta.creationTimestamp = timestamp(now) as unknown as Date;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if (strategy.tracksGeneration) meta.generation = 1;
  else delete meta.generation;
  obj.metadata = meta;
  strategy.defaults?.(obj);
  if (strategy.hasStatus) {
    const status = strategy.initialStatus?.(obj);
    if (status === undefined) delete obj.status;
    else obj.status = status;
  }
  await strategy.prepareForCreate?.(obj, { now, ...ctx.allocations });
  if (info.group === '' && info.plural === 'persistentvolumeclaims') await admitDefaultStorageClass(ctx, obj);
  assertValid(info, strategy, obj);
  if (info.namespaced && meta.namespace) await assertNamespaceWritable(ctx, info, meta.namespace);
  if (ctx.serviceAccountAdmission && info.group === '' && info.plural === 'pods')
    await admitPodServiceAccount(ctx, obj);
  const toStore = options.fieldManager ? recordWrite(info, undefined, obj, options.fieldManager, now) : obj;
  if (options.dryRun) {
    const existing = await ctx.objects.get(info, meta.namespace, meta.name ?? '');
    if (existing) throw alreadyExists(groupResource(info), meta.name ?? '');
    return toStore;
  }
  try {
    return await ctx.objects.create(info, toStore);
  } catch (err) {
    throw toApiError(err, groupResource(info), meta.name ?? '');
  }
}
