// Which objects a controller owns, as client-go's ControllerRefManager decides: those it already
// controls and its selector still matches; orphans its selector matches are adopted (a controller
// reference is added), and objects it controls but no longer matches are released (the reference
// is removed). Adoption first re-reads the owner from the API server, so an owner being deleted
// never adopts (RecheckDeletionTimestamp).
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_ref_manager.go

import type { V1OwnerReference } from '@kubernetes/client-node';
import type { LabelSelector } from '../../registry/selectors';
import type { ApiObject } from '../runtime/apiObject';
import type { ResourceClient } from '../runtime/clusterClient';
import { controllerOf, controllerRef } from '../runtime/ownerReferences';

export interface ClaimOptions<T extends ApiObject> {
  /** The owner as cached (uid, namespace, deletionTimestamp are read). */
  owner: ApiObject;
  ownerApiVersion: string;
  ownerKind: string;
  selector: LabelSelector;
  /** Client for the owned resource, to write adoptions and releases. */
  client: ResourceClient<T>;
  /** Reads the owner fresh; adoption proceeds only if it still exists with the same uid, not deleting. */
  getOwner(): Promise<ApiObject | undefined>;
}

function uidOf(obj: ApiObject): string {
  return obj.metadata?.uid ?? '';
}

async function adopt<T extends ApiObject>(obj: T, ref: V1OwnerReference, client: ResourceClient<T>) {
  const meta = obj.metadata ?? {};
  let adopted = false;
  const result = await client.mutate(meta.namespace, meta.name ?? '', (live) => {
    // Only the object we looked at, and only while nobody else controls it.
    if (uidOf(live) !== uidOf(obj) || controllerOf(live) || live.metadata?.deletionTimestamp)
      return undefined;
    live.metadata = { ...live.metadata, ownerReferences: [...(live.metadata?.ownerReferences ?? []), ref] };
    adopted = true;
    return live;
  });
  return adopted ? result : undefined;
}

async function release<T extends ApiObject>(obj: T, ownerUid: string, client: ResourceClient<T>) {
  const meta = obj.metadata ?? {};
  await client.mutate(meta.namespace, meta.name ?? '', (live) => {
    const refs = live.metadata?.ownerReferences ?? [];
    if (uidOf(live) !== uidOf(obj) || !refs.some((r) => r.uid === ownerUid)) return undefined;
    live.metadata = { ...live.metadata, ownerReferences: refs.filter((r) => r.uid !== ownerUid) };
    return live;
  });
}

/** The objects among `candidates` the owner controls after adopting and releasing. */
export async function claimObjects<T extends ApiObject>(
  candidates: readonly T[],
  options: ClaimOptions<T>,
): Promise<T[]> {
  const { owner, selector, client } = options;
  const ownerUid = uidOf(owner);
  const ownerMeta = owner.metadata ?? {};
  const deleting = Boolean(ownerMeta.deletionTimestamp);
  const matches = (obj: T) => selector.matches(obj.metadata?.labels);
  let canAdopt: Promise<void> | undefined;
  const checkOwner = async () => {
    const fresh = await options.getOwner();
    if (!fresh || uidOf(fresh) !== ownerUid) {
      throw new Error(
        `original ${options.ownerKind} ${ownerMeta.namespace}/${ownerMeta.name} is gone: got uid ${fresh ? uidOf(fresh) : ''}, wanted ${ownerUid}`,
      );
    }
    if (fresh.metadata?.deletionTimestamp) {
      throw new Error(
        `${ownerMeta.namespace}/${ownerMeta.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`,
      );
    }
  };
  const claimed: T[] = [];
  for (const obj of candidates) {
    const ref = controllerOf(obj);
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (matches(obj)) claimed.push(obj);
      else if (!deleting) await release(obj, ownerUid, client);
      continue;
    }
    if (deleting || !matches(obj) || obj.metadata?.deletionTimestamp) continue;
    if (ownerMeta.namespace && ownerMeta.namespace !== obj.metadata?.namespace) continue;
    canAdopt ??= checkOwner();
    await canAdopt;
    const adopted = await adopt(
      obj,
      controllerRef(owner, options.ownerApiVersion, options.ownerKind),
      client,
    );
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}
