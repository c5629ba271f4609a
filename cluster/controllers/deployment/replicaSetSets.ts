// Pure views over a Deployment's ReplicaSets, as Kubernetes' deployment_util.go and controller
// utils define them: the orders used to pick which set grows or shrinks first, which set is the
// new one (oldest whose template equals the Deployment's, hash ignored), replica sums, saturation.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go

import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import { equalIgnoreHash } from './podTemplateHash';
import { desiredReplicasOf, revisionOf } from './revisions';
import { desiredReplicas } from './rolloutBounds';

export type MaybeReplicaSet = V1ReplicaSet | undefined;

export function specReplicas(rs: V1ReplicaSet): number {
  return rs.spec?.replicas ?? 1;
}

function createdAt(rs: V1ReplicaSet): number {
  const t = rs.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}

/** Oldest first; same second → by name (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: V1ReplicaSet, b: V1ReplicaSet): number {
  const d = createdAt(a) - createdAt(b);
  if (d !== 0) return d;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Largest first; ties oldest first (ReplicaSetsBySizeOlder), for scaling down. */
export function bySizeOlder(a: V1ReplicaSet, b: V1ReplicaSet): number {
  const d = specReplicas(b) - specReplicas(a);
  return d !== 0 ? d : byCreation(a, b);
}

/** Largest first; ties newest first (ReplicaSetsBySizeNewer), for scaling up. */
export function bySizeNewer(a: V1ReplicaSet, b: V1ReplicaSet): number {
  const d = specReplicas(b) - specReplicas(a);
  return d !== 0 ? d : createdAt(b) - createdAt(a);
}

/** Lowest revision first; unparsable or equal revisions by creation (ReplicaSetsByRevision). */
export function byRevision(a: V1ReplicaSet, b: V1ReplicaSet): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === undefined || rb === undefined || ra === rb) return byCreation(a, b);
  return ra - rb;
}

export function filterActive(replicaSets: readonly MaybeReplicaSet[]): V1ReplicaSet[] {
  return replicaSets.filter((rs): rs is V1ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
}

function present(replicaSets: readonly MaybeReplicaSet[]): V1ReplicaSet[] {
  return replicaSets.filter((rs): rs is V1ReplicaSet => rs !== undefined);
}

/** Sum of spec.replicas. */
export function replicaCount(replicaSets: readonly MaybeReplicaSet[]): number {
  return present(replicaSets).reduce((n, rs) => n + specReplicas(rs), 0);
}

/**
 * Pods a ReplicaSet may still run: its spec.replicas, or more while its controller has not yet
 * deleted the pods of a scale-down (status.replicas, which that controller writes after deleting).
 * Surge room counted from spec alone would let the new set's pods start before old ones go.
 */
export function heldReplicas(rs: V1ReplicaSet): number {
  return Math.max(specReplicas(rs), rs.status?.replicas ?? 0);
}

/** Sum of heldReplicas. */
export function heldReplicaCount(replicaSets: readonly MaybeReplicaSet[]): number {
  return present(replicaSets).reduce((n, rs) => n + heldReplicas(rs), 0);
}

/** Sum of status.replicas (pods that exist and are not terminating). */
export function actualReplicaCount(replicaSets: readonly MaybeReplicaSet[]): number {
  return present(replicaSets).reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
}

export function readyReplicaCount(replicaSets: readonly MaybeReplicaSet[]): number {
  return present(replicaSets).reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
}

export function availableReplicaCount(replicaSets: readonly MaybeReplicaSet[]): number {
  return present(replicaSets).reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
}

/**
 * Available pods a ReplicaSet can be relied on to keep. A set just scaled down may still report
 * the pods it is deleting as available until its controller writes status; counting more than
 * spec.replicas then would let a rollout take away pods that are already going.
 */
export function dependableAvailable(rs: V1ReplicaSet): number {
  return Math.min(rs.status?.availableReplicas ?? 0, specReplicas(rs));
}

export function terminatingReplicaCount(replicaSets: readonly MaybeReplicaSet[]): number | undefined {
  let total = 0;
  for (const rs of present(replicaSets)) {
    const n = rs.status?.terminatingReplicas;
    if (n === undefined) return undefined;
    total += n;
  }
  return total;
}

/** The oldest ReplicaSet whose template is the Deployment's (FindNewReplicaSet). */
export function findNewReplicaSet(
  d: V1Deployment,
  replicaSets: readonly V1ReplicaSet[],
): V1ReplicaSet | undefined {
  return [...replicaSets].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every ReplicaSet but the new one (FindOldReplicaSets' allOldRSs). */
export function findOldReplicaSets(d: V1Deployment, replicaSets: readonly V1ReplicaSet[]): V1ReplicaSet[] {
  const newRS = findNewReplicaSet(d, replicaSets);
  return replicaSets.filter((rs) => rs.metadata?.uid !== newRS?.metadata?.uid);
}

/**
 * The one ReplicaSet with pods, or the newest when none has any; undefined when several have pods
 * (FindActiveOrLatest).
 */
export function findActiveOrLatest(newRS: MaybeReplicaSet, oldRSs: readonly V1ReplicaSet[]): MaybeReplicaSet {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet runs the Deployment's full size, all available (IsSaturated). */
export function isSaturated(d: V1Deployment, rs: MaybeReplicaSet): boolean {
  if (!rs) return false;
  const desired = desiredReplicas(d);
  return (
    specReplicas(rs) === desired &&
    desiredReplicasOf(rs) === desired &&
    (rs.status?.availableReplicas ?? 0) === desired
  );
}
