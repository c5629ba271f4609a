// The sizes a Deployment's ReplicaSets should take, as pure functions of their current state:
// how far the new set may grow within maxSurge, how many old pods may go within maxUnavailable
// (unhealthy ones first, then the oldest sets), and proportional scaling of every active set when
// the Deployment is resized mid-rollout. The arithmetic is Kubernetes' (rolling.go, sync.go,
// deployment_util.go); the controller only carries the plans out.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/rolling.go

import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import {
  byCreation,
  bySizeNewer,
  bySizeOlder,
  dependableAvailable,
  filterActive,
  findActiveOrLatest,
  heldReplicaCount,
  isSaturated,
  type MaybeReplicaSet,
  replicaCount,
  specReplicas,
} from './replicaSetSets';
import { maxReplicasOf } from './revisions';
import { desiredReplicas, isRollingUpdate, maxSurge, maxUnavailable } from './rolloutBounds';

export interface ScaleTarget {
  rs: V1ReplicaSet;
  replicas: number;
}

export interface ProportionalTarget extends ScaleTarget {
  /** Word for the ScalingReplicaSet event: the direction the whole Deployment moves. */
  operation: 'up' | 'down' | '';
}

/**
 * Size for the new ReplicaSet now: grow into the surge room, never beyond the Deployment
 * (NewRSNewReplicas). Kubernetes counts spec.replicas only; counting pods an old set has yet to
 * delete as well keeps running pods, not just replicas, within maxSurge.
 */
export function newReplicaSetReplicas(
  d: V1Deployment,
  allRSs: readonly MaybeReplicaSet[],
  newRS: V1ReplicaSet,
): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const current = specReplicas(newRS);
  if (current === desired) return current;
  const maxTotal = desired + maxSurge(d);
  const podCount = heldReplicaCount(allRSs);
  if (podCount >= maxTotal) return current;
  return current + Math.min(maxTotal - podCount, desired - current);
}

/** Old pods that may go without breaking minimum availability, assuming old pods are available. */
export function maxOldScaleDown(
  d: V1Deployment,
  allRSs: readonly MaybeReplicaSet[],
  newRS: V1ReplicaSet,
): number {
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  return replicaCount(allRSs) - minAvailable - newUnavailable;
}

/** Shrinks old sets by their unavailable pods first, oldest set first, up to `maxCount` (cleanupUnhealthyReplicas). */
export function unhealthyCleanups(oldRSs: readonly V1ReplicaSet[], maxCount: number): ScaleTarget[] {
  const out: ScaleTarget[] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= maxCount) break;
    const replicas = specReplicas(rs);
    const unhealthy = replicas - dependableAvailable(rs);
    if (replicas === 0 || unhealthy === 0) continue;
    const count = Math.min(maxCount - total, unhealthy);
    out.push({ rs, replicas: replicas - count });
    total += count;
  }
  return out;
}

/** Then shrinks the oldest sets while available pods stay above the minimum (scaleDownOldReplicaSetsForRollingUpdate). */
export function oldScaleDowns(
  d: V1Deployment,
  allRSs: readonly MaybeReplicaSet[],
  oldRSs: readonly V1ReplicaSet[],
): ScaleTarget[] {
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const available = filterPresent(allRSs).reduce((n, rs) => n + dependableAvailable(rs), 0);
  if (available <= minAvailable) return [];
  const toRemove = available - minAvailable;
  const out: ScaleTarget[] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= toRemove) break;
    const replicas = specReplicas(rs);
    if (replicas === 0) continue;
    const count = Math.min(replicas, toRemove - total);
    out.push({ rs, replicas: replicas - count });
    total += count;
  }
  return out;
}

function filterPresent(replicaSets: readonly MaybeReplicaSet[]): V1ReplicaSet[] {
  return replicaSets.filter((rs): rs is V1ReplicaSet => rs !== undefined);
}

/** Go's math.Round: halves away from zero. */
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** How many replicas `rs` gains (or loses) when the Deployment now allows `desired + surge` (getReplicaSetFraction). */
function fraction(rs: V1ReplicaSet, d: V1Deployment): number {
  const desired = desiredReplicas(d);
  if (desired === 0) return -specReplicas(rs);
  const allowed = desired + maxSurge(d);
  const annotated = maxReplicasOf(rs) ?? d.status?.replicas ?? 0;
  if (annotated <= 0) return 0;
  return roundHalfAway((specReplicas(rs) * allowed) / annotated) - specReplicas(rs);
}

function proportion(rs: V1ReplicaSet, d: V1Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const share = fraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(share, allowed) : Math.max(share, allowed);
}

/**
 * What a resize (or a pause) does to the ReplicaSets (scale): the only active set, or the newest,
 * takes the Deployment's size; a saturated new set drains the old ones; otherwise every active set
 * of a rolling Deployment grows or shrinks in proportion, the rounding leftover going to the
 * largest. `sized` targets change only when their size differs; `proportional` ones are written
 * even at the same size, to refresh their replica annotations.
 */
export function planScale(
  d: V1Deployment,
  newRS: MaybeReplicaSet,
  oldRSs: readonly V1ReplicaSet[],
): { sized: ScaleTarget[]; proportional: ProportionalTarget[] } {
  const desired = desiredReplicas(d);
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (specReplicas(activeOrLatest) === desired) return { sized: [], proportional: [] };
    return { sized: [{ rs: activeOrLatest, replicas: desired }], proportional: [] };
  }
  if (isSaturated(d, newRS)) {
    return { sized: filterActive(oldRSs).map((rs) => ({ rs, replicas: 0 })), proportional: [] };
  }
  if (!isRollingUpdate(d)) return { sized: [], proportional: [] };
  const active = filterActive([...oldRSs, newRS]);
  const allowed = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(active);
  let operation: ProportionalTarget['operation'] = '';
  if (toAdd > 0) {
    active.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    active.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = active.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return specReplicas(rs) + p;
  });
  if (toAdd !== 0 && sizes.length > 0) sizes[0] = Math.max(0, (sizes[0] ?? 0) + toAdd - added);
  return {
    sized: [],
    proportional: active.map((rs, i) => ({ rs, replicas: sizes[i] ?? 0, operation })),
  };
}
