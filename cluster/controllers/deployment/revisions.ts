// The annotations through which a Deployment and its ReplicaSets record history, as Kubernetes'
// deployment_util.go keeps them: `deployment.kubernetes.io/revision` (what `kubectl rollout
// history` and `undo` read), `revision-history` (earlier revisions of a ReplicaSet rolled back to),
// and `desired-replicas` / `max-replicas` (the Deployment's size and size plus surge when the
// ReplicaSet was last scaled, used for proportional scaling). Other Deployment annotations, such as
// `kubernetes.io/change-cause`, are copied onto the new ReplicaSet.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go

import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import { desiredReplicas, maxSurge } from './rolloutBounds';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';

/** Not copied from a Deployment to its ReplicaSets. */
const notCopied = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

/** Revision history is capped at about 100 entries. */
export const maxRevisionHistoryChars = 2000;

const integer = /^[-+]?\d+$/;

/** The revision number; 0 when absent, undefined when it does not parse. */
export function revisionOf(rs: V1ReplicaSet | V1Deployment): number | undefined {
  const value = rs.metadata?.annotations?.[revisionAnnotation];
  if (value === undefined) return 0;
  return integer.test(value) ? Number(value) : undefined;
}

export function maxRevision(replicaSets: readonly V1ReplicaSet[]): number {
  let max = 0;
  for (const rs of replicaSets) {
    const v = revisionOf(rs);
    if (v !== undefined && v > max) max = v;
  }
  return max;
}

function intAnnotation(rs: V1ReplicaSet, key: string): number | undefined {
  const value = rs.metadata?.annotations?.[key];
  return value !== undefined && integer.test(value) ? Number(value) : undefined;
}

export function desiredReplicasOf(rs: V1ReplicaSet): number | undefined {
  return intAnnotation(rs, desiredReplicasAnnotation);
}

export function maxReplicasOf(rs: V1ReplicaSet): number | undefined {
  return intAnnotation(rs, maxReplicasAnnotation);
}

function annotationsOf(obj: V1ReplicaSet | V1Deployment): Record<string, string> {
  obj.metadata ??= {};
  obj.metadata.annotations ??= {};
  return obj.metadata.annotations;
}

export function replicasAnnotationsNeedUpdate(rs: V1ReplicaSet, desired: number, max: number): boolean {
  const annotations = rs.metadata?.annotations ?? {};
  return (
    annotations[desiredReplicasAnnotation] !== String(desired) ||
    annotations[maxReplicasAnnotation] !== String(max)
  );
}

/** Records the Deployment's size and size plus surge on `rs`; true when that changed it. */
export function setReplicasAnnotations(rs: V1ReplicaSet, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
  const annotations = annotationsOf(rs);
  annotations[desiredReplicasAnnotation] = String(desired);
  annotations[maxReplicasAnnotation] = String(max);
  return true;
}

/** Sets the Deployment's revision annotation; true when it changed. */
export function setDeploymentRevision(d: V1Deployment, revision: string): boolean {
  const annotations = annotationsOf(d);
  if (annotations[revisionAnnotation] === revision) return false;
  annotations[revisionAnnotation] = revision;
  return true;
}

function appendHistory(annotations: Record<string, string>, oldRevision: string, limitChars: number): void {
  const history = annotations[revisionHistoryAnnotation] ?? '';
  if (history === '') {
    annotations[revisionHistoryAnnotation] = oldRevision;
    return;
  }
  const revisions = history.split(',');
  let total = history.length + oldRevision.length + 1;
  let start = 0;
  while (total > limitChars && start < revisions.length) {
    total -= (revisions[start] ?? '').length + 1;
    start++;
  }
  if (total <= limitChars)
    annotations[revisionHistoryAnnotation] = [...revisions.slice(start), oldRevision].join(',');
}

/**
 * Brings the new ReplicaSet's annotations up to date (SetNewReplicaSetAnnotations): copies the
 * Deployment's own annotations, raises the revision to `newRevision` (keeping the old one in the
 * history when a ReplicaSet comes back through a rollback), and on creation records the replica
 * annotations. True when anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: V1Deployment,
  rs: V1ReplicaSet,
  newRevision: string,
  exists: boolean,
  limitChars = maxRevisionHistoryChars,
): boolean {
  const annotations = annotationsOf(rs);
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata?.annotations ?? {})) {
    if (notCopied.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  const oldRevision = annotations[revisionAnnotation];
  let oldNumber = 0;
  if (oldRevision !== undefined) {
    if (!integer.test(oldRevision)) return changed;
    oldNumber = Number(oldRevision);
  }
  if (!integer.test(newRevision)) return changed;
  const newNumber = Number(newRevision);
  if (oldNumber < newNumber) {
    annotations[revisionAnnotation] = newRevision;
    changed = true;
    if (oldRevision !== undefined) appendHistory(annotations, oldRevision, limitChars);
  }
  if (!exists && setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d) + maxSurge(d)))
    changed = true;
  return changed;
}
