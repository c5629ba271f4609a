// ControllerRevision bookkeeping shared by the StatefulSet and DaemonSet controllers, after
// Kubernetes' history package: build a revision for a template, order revisions, find equal ones,
// create with hash-collision probing, renumber on rollback, adopt orphans, trim old history.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/history/controller_history.go

import type { V1ControllerRevision, V1ObjectMeta } from '@kubernetes/client-node';
import { isApiError } from '../../api/status';
import type { LabelSelector } from '../../registry/selectors';
import type { ApiObject } from '../runtime/apiObject';
import type { ResourceClient } from '../runtime/clusterClient';
import { controllerOf, controllerRef } from '../runtime/ownerReferences';
import { canonicalJson, controllerRevisionName, hashRevisionData } from './revisionHash';

/** The label StatefulSet revisions carry their hash in. */
export const revisionHashLabel = 'controller.kubernetes.io/hash';

export interface OwnerKind {
  apiVersion: string;
  kind: string;
}

export interface RevisionSpec {
  /** Labels copied onto the revision (the pod template's, so the owner's selector finds it). */
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  data: unknown;
  revision: number;
  /** Where the hash goes besides the name: `controller.kubernetes.io/hash` or `controller-revision-hash`. */
  hashLabel: string;
}

/** An unsaved revision of `owner`, named `<owner>-<hash>`. */
export function buildRevision(
  owner: ApiObject,
  kind: OwnerKind,
  spec: RevisionSpec,
  collisionCount: number,
): V1ControllerRevision {
  const hash = hashRevisionData(spec.data, collisionCount);
  const metadata: V1ObjectMeta = {
    name: controllerRevisionName(owner.metadata?.name ?? '', hash),
    namespace: owner.metadata?.namespace,
    labels: { ...spec.labels, [spec.hashLabel]: hash },
    ownerReferences: [controllerRef(owner, kind.apiVersion, kind.kind)],
  };
  if (spec.annotations && Object.keys(spec.annotations).length > 0) {
    metadata.annotations = { ...spec.annotations };
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata,
    // Stored with sorted keys: kubectl compares these bytes with its own encoding of the template.
    data: JSON.parse(canonicalJson(spec.data)) as object,
    revision: spec.revision,
  };
}

function createdAt(revision: V1ControllerRevision): number {
  const at = revision.metadata?.creationTimestamp as unknown as string | undefined;
  return at ? Date.parse(at) : 0;
}

/** Oldest first: by revision number, then creation time, then name (`SortControllerRevisions`). */
export function sortRevisions(revisions: readonly V1ControllerRevision[]): V1ControllerRevision[] {
  return [...revisions].sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision;
    const byTime = createdAt(a) - createdAt(b);
    if (byTime !== 0) return byTime;
    const an = a.metadata?.name ?? '';
    const bn = b.metadata?.name ?? '';
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
}

/** One more than the highest revision number, or 1 for an empty history. */
export function nextRevision(sorted: readonly V1ControllerRevision[]): number {
  const last = sorted.at(-1);
  return last ? last.revision + 1 : 1;
}

export function equalRevision(a: V1ControllerRevision, b: V1ControllerRevision): boolean {
  return canonicalJson(a.data) === canonicalJson(b.data);
}

export function findEqualRevisions(
  revisions: readonly V1ControllerRevision[],
  needle: V1ControllerRevision,
): V1ControllerRevision[] {
  const data = canonicalJson(needle.data);
  return revisions.filter((r) => canonicalJson(r.data) === data);
}

/** Revisions in the owner's namespace that its selector matches and that it owns or nobody does. */
export function ownedOrOrphanRevisions(
  all: readonly V1ControllerRevision[],
  owner: ApiObject,
  selector: LabelSelector,
): V1ControllerRevision[] {
  const uid = owner.metadata?.uid;
  return all.filter((r) => {
    if (r.metadata?.namespace !== owner.metadata?.namespace) return false;
    if (!selector.matches(r.metadata?.labels)) return false;
    const ref = controllerOf(r);
    return ref === undefined || ref.uid === uid;
  });
}

function isAlreadyExists(err: unknown): boolean {
  return isApiError(err) && err.status.reason === 'AlreadyExists';
}

/**
 * Creates the revision, probing further names while another revision with different data holds
 * the name (`CreateControllerRevision`). Returns the stored revision (an existing equal one counts)
 * and the collision count that named it.
 */
export async function createRevision(
  client: ResourceClient<V1ControllerRevision>,
  owner: ApiObject,
  kind: OwnerKind,
  spec: RevisionSpec,
  collisionCount: number,
): Promise<{ revision: V1ControllerRevision; collisionCount: number }> {
  for (let count = collisionCount; ; count++) {
    const revision = buildRevision(owner, kind, spec, count);
    try {
      return { revision: await client.create(revision), collisionCount: count };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await client.get(revision.metadata?.namespace, revision.metadata?.name ?? '');
      if (existing && equalRevision(existing, revision)) return { revision: existing, collisionCount: count };
      if (!existing) count--; // deleted meanwhile: the same name is free again
    }
  }
}

/** Renumbers a revision (a rollback to an older template makes it the newest). */
export async function renumberRevision(
  client: ResourceClient<V1ControllerRevision>,
  revision: V1ControllerRevision,
  number: number,
): Promise<V1ControllerRevision> {
  if (revision.revision === number) return revision;
  const meta = revision.metadata ?? {};
  const updated = await client.mutate(meta.namespace, meta.name ?? '', (live) => {
    if (live.revision === number) return undefined;
    live.revision = number;
    return live;
  });
  if (!updated)
    throw new Error(`controllerrevision ${meta.namespace}/${meta.name} disappeared while renumbering`);
  return updated;
}

/** Makes `owner` the controller of an orphan revision; resolves undefined if it is gone or taken. */
export async function adoptRevision(
  client: ResourceClient<V1ControllerRevision>,
  owner: ApiObject,
  kind: OwnerKind,
  revision: V1ControllerRevision,
): Promise<V1ControllerRevision | undefined> {
  const meta = revision.metadata ?? {};
  const adopted = await client.mutate(meta.namespace, meta.name ?? '', (live) => {
    if (controllerOf(live)) return undefined;
    live.metadata ??= {};
    live.metadata.ownerReferences = [
      ...(live.metadata.ownerReferences ?? []),
      controllerRef(owner, kind.apiVersion, kind.kind),
    ];
    return live;
  });
  return adopted && controllerOf(adopted)?.uid === owner.metadata?.uid ? adopted : undefined;
}

/**
 * The revisions to delete so that at most `limit` non-live ones remain, oldest first
 * (`truncateHistory`). `sorted` is oldest first; `live` names revisions still in use.
 */
export function revisionsToTrim(
  sorted: readonly V1ControllerRevision[],
  live: ReadonlySet<string>,
  limit: number,
): V1ControllerRevision[] {
  const history = sorted.filter((r) => !live.has(r.metadata?.name ?? ''));
  if (limit < 0 || history.length <= limit) return [];
  return history.slice(0, history.length - limit);
}
