// Until the garbage collector controller exists, this in-process loop honours the two finalizers
// Orphan and Foreground deletion leave on an owner: `orphan` strips the owner's reference from its
// dependents, `foregroundDeletion` deletes the dependents first; then the finalizer is removed (and
// the owner goes once no finalizer is left).

import type { V1OwnerReference } from '@kubernetes/client-node';
import type { Logger } from '../../log';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import type { KubeObject } from '../../registry/strategy';
import type { Watch } from '../../store/store';
import { deleteObject, foregroundFinalizer, orphanFinalizer } from '../rest/deleteObject';
import type { RestContext } from '../rest/restContext';
import { updateObject } from '../rest/updateObject';
import { ignoreDone, storedResources } from './storedResources';

const retryMs = 500;

interface OwnerKey {
  info: ResourceInfo;
  namespace?: string;
  name: string;
}

function ownedBy(obj: KubeObject, uid: string): boolean {
  return (obj.metadata?.ownerReferences ?? []).some((r: V1OwnerReference) => r.uid === uid);
}

async function dependentsOf(rest: RestContext, owner: KubeObject, namespaced: boolean) {
  const uid = owner.metadata?.uid ?? '';
  const out: { info: ResourceInfo; obj: KubeObject }[] = [];
  for (const info of storedResources(rest.catalog)) {
    if (namespaced && !info.namespaced) continue;
    const { items } = await rest.objects.list(info, namespaced ? owner.metadata?.namespace : undefined);
    for (const obj of items) if (ownedBy(obj, uid)) out.push({ info, obj });
  }
  return out;
}

/** Returns true when the owner needs no more work. */
async function finalizeOwner(rest: RestContext, key: OwnerKey): Promise<boolean> {
  const owner = await rest.objects.get(key.info, key.namespace, key.name);
  const finalizers = owner?.metadata?.finalizers ?? [];
  if (!owner?.metadata?.deletionTimestamp) return true;
  const uid = owner.metadata.uid ?? '';
  let done: string | undefined;
  if (finalizers.includes(orphanFinalizer)) {
    for (const { info, obj } of await dependentsOf(rest, owner, key.info.namespaced)) {
      const meta = obj.metadata ?? {};
      await updateObject(rest, info, meta.namespace, meta.name ?? '', (live) => {
        live.metadata = {
          ...live.metadata,
          ownerReferences: live.metadata?.ownerReferences?.filter((r) => r.uid !== uid),
        };
        return live;
      }).catch(ignoreDone);
    }
    done = orphanFinalizer;
  } else if (finalizers.includes(foregroundFinalizer)) {
    const dependents = await dependentsOf(rest, owner, key.info.namespaced);
    for (const { info, obj } of dependents) {
      if (obj.metadata?.deletionTimestamp) continue;
      const meta = obj.metadata ?? {};
      await deleteObject(rest, info, meta.namespace, meta.name ?? '', {
        propagationPolicy: 'Foreground',
      }).catch(ignoreDone);
    }
    if (dependents.length > 0) return false;
    done = foregroundFinalizer;
  } else {
    return true;
  }
  await updateObject(rest, key.info, key.namespace, key.name, (live) => {
    live.metadata = { ...live.metadata, finalizers: live.metadata?.finalizers?.filter((f) => f !== done) };
    return live;
  }).catch(ignoreDone);
  return false;
}

export interface OwnerFinalizers {
  stop(): void;
}

export async function startOwnerFinalizers(
  rest: RestContext,
  options: { log?: Logger } = {},
): Promise<OwnerFinalizers> {
  const pending = new Map<string, OwnerKey>();
  let running = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function drain(): Promise<void> {
    if (running || stopped) return;
    running = true;
    const retry = new Map<string, OwnerKey>();
    try {
      for (const [id, key] of pending) {
        pending.delete(id);
        const finished = await finalizeOwner(rest, key).catch((err: unknown) => {
          options.log?.error('owner finalizer failed', {
            name: key.name,
            namespace: key.namespace,
            error: String(err),
          });
          return false;
        });
        if (!finished) retry.set(id, key);
      }
    } finally {
      running = false;
    }
    for (const [id, key] of retry) pending.set(id, key);
    if (pending.size > 0 && !stopped) timer = setTimeout(() => void drain(), retryMs);
  }

  function consider(info: ResourceInfo, obj: KubeObject): void {
    const meta = obj.metadata ?? {};
    const finalizers = meta.finalizers ?? [];
    if (
      !meta.deletionTimestamp ||
      !(finalizers.includes(orphanFinalizer) || finalizers.includes(foregroundFinalizer))
    ) {
      return;
    }
    const key: OwnerKey = { info, name: meta.name ?? '' };
    if (meta.namespace) key.namespace = meta.namespace;
    pending.set(`${info.group}/${info.plural}/${meta.namespace ?? ''}/${meta.name}`, key);
    void drain();
  }

  const watches: Watch[] = [];
  for (const info of storedResources(rest.catalog)) {
    const { items, revision } = await rest.objects.list(info, undefined);
    for (const obj of items) consider(info, obj);
    watches.push(
      rest.objects.watch(
        info,
        undefined,
        revision,
        (event) => {
          if (event.type !== 'DELETED') consider(info, event.object);
        },
        (err) =>
          options.log?.error('owner finalizer watch ended', { resource: info.plural, error: String(err) }),
      ),
    );
  }
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      for (const w of watches) w.close();
    },
  };
}
