// The garbage collector's view of the cluster: every object by uid with its owner references, and
// dependents indexed by owner uid, so "who depends on X" costs one map lookup however many objects
// (10,000 pods) there are. The index is kept from the dependents' side: it survives an owner's
// removal, which is exactly when its dependents must be found.

import type { V1OwnerReference } from '@kubernetes/client-node';
import { foregroundFinalizer, orphanFinalizer } from '../../api/rest/deleteObject';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import type { ApiObject } from '../runtime/apiObject';

export interface GraphNode {
  uid: string;
  resource: ResourceInfo;
  namespace: string | undefined;
  name: string;
  owners: readonly V1OwnerReference[];
  /** deletionTimestamp is set. */
  beingDeleted: boolean;
  /** Foreground deletion in progress: waiting for blocking dependents to go. */
  deletingDependents: boolean;
  /** Orphan deletion in progress: dependents lose their reference first. */
  orphaningDependents: boolean;
}

export function graphNode(resource: ResourceInfo, obj: ApiObject): GraphNode | undefined {
  const meta = obj.metadata;
  if (!meta?.uid) return undefined;
  const beingDeleted = meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null;
  const finalizers = meta.finalizers ?? [];
  return {
    uid: meta.uid,
    resource,
    namespace: meta.namespace || undefined,
    name: meta.name ?? '',
    owners: meta.ownerReferences ?? [],
    beingDeleted,
    deletingDependents: beingDeleted && finalizers.includes(foregroundFinalizer),
    orphaningDependents: beingDeleted && finalizers.includes(orphanFinalizer),
  };
}

function sameReference(a: V1OwnerReference, b: V1OwnerReference): boolean {
  return a.uid === b.uid && (a.blockOwnerDeletion ?? false) === (b.blockOwnerDeletion ?? false);
}

/** Owner references in `from` that `to` does not have (a changed blockOwnerDeletion counts). */
function missingFrom(from: readonly V1OwnerReference[], to: readonly V1OwnerReference[]): V1OwnerReference[] {
  return from.filter((ref) => !to.some((other) => sameReference(ref, other)));
}

export interface GraphChange {
  previous: GraphNode | undefined;
  /** References the node gained (or whose blockOwnerDeletion changed). */
  added: V1OwnerReference[];
  /** References the node lost (or whose blockOwnerDeletion changed). */
  removed: V1OwnerReference[];
}

export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependentsByOwner = new Map<string, Set<string>>();

  get size(): number {
    return this.nodes.size;
  }

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  all(): IterableIterator<GraphNode> {
    return this.nodes.values();
  }

  upsert(node: GraphNode): GraphChange {
    const previous = this.nodes.get(node.uid);
    const before = previous?.owners ?? [];
    const added = missingFrom(node.owners, before);
    const removed = missingFrom(before, node.owners);
    for (const ref of removed) this.unlink(ref.uid, node.uid);
    for (const ref of node.owners) this.link(ref.uid, node.uid);
    this.nodes.set(node.uid, node);
    return { previous, added, removed };
  }

  remove(uid: string): GraphNode | undefined {
    const node = this.nodes.get(uid);
    if (!node) return undefined;
    this.nodes.delete(uid);
    for (const ref of node.owners) this.unlink(ref.uid, uid);
    return node;
  }

  /** Objects in the graph that reference `ownerUid`. */
  dependents(ownerUid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const uid of this.dependentsByOwner.get(ownerUid) ?? []) {
      const node = this.nodes.get(uid);
      if (node) out.push(node);
    }
    return out;
  }

  /** Dependents whose reference to `ownerUid` has blockOwnerDeletion: Foreground deletion waits for them. */
  blockingDependents(ownerUid: string): GraphNode[] {
    return this.dependents(ownerUid).filter((dep) =>
      dep.owners.some((ref) => ref.uid === ownerUid && ref.blockOwnerDeletion === true),
    );
  }

  private link(ownerUid: string, dependentUid: string): void {
    let set = this.dependentsByOwner.get(ownerUid);
    if (!set) {
      set = new Set();
      this.dependentsByOwner.set(ownerUid, set);
    }
    set.add(dependentUid);
  }

  private unlink(ownerUid: string, dependentUid: string): void {
    const set = this.dependentsByOwner.get(ownerUid);
    if (!set) return;
    set.delete(dependentUid);
    if (set.size === 0) this.dependentsByOwner.delete(ownerUid);
  }
}
