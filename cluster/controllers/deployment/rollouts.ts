// The Deployment strategies and the other sync modes, as Kubernetes' rolling.go, recreate.go and
// sync.go run them: RollingUpdate grows the new ReplicaSet into the surge room and shrinks old
// ones while enough pods stay available; Recreate scales every old ReplicaSet to zero, waits for
// their pods to be gone, then scales the new one up; a resize or a paused Deployment only scales
// proportionally; a Deployment being deleted only has its status kept current.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/rolling.go

import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { deploymentComplete } from './deploymentStatus';
import type { DeploymentSync } from './deploymentSync';
import { filterActive, type MaybeReplicaSet, replicaCount, specReplicas } from './replicaSetSets';
import { maxOldScaleDown, newReplicaSetReplicas, oldScaleDowns, unhealthyCleanups } from './scalingPlans';

/** Pods per ReplicaSet uid, for Recreate to wait on. */
export type PodsByReplicaSet = Map<string, V1Pod[]>;

export async function syncStatusOnly(sync: DeploymentSync, rsList: readonly V1ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(rsList, false);
  await sync.syncDeploymentStatus([...oldRSs, newRS], newRS);
}

/** A resize, or any sync while paused: proportional scaling, history cleanup when paused, status. */
export async function syncScale(sync: DeploymentSync, rsList: readonly V1ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(rsList, false);
  await sync.scaleForResize(newRS, oldRSs);
  if (sync.d.spec?.paused) await sync.cleanup(oldRSs);
  await sync.syncDeploymentStatus([...oldRSs, newRS], newRS);
}

async function reconcileNewReplicaSet(
  sync: DeploymentSync,
  allRSs: readonly MaybeReplicaSet[],
  newRS: V1ReplicaSet,
): Promise<boolean> {
  const desired = sync.d.spec?.replicas ?? 1;
  const current = specReplicas(newRS);
  if (current === desired) return false;
  if (current > desired) return (await sync.scaleAndRecord(newRS, desired)).scaled;
  return (await sync.scaleAndRecord(newRS, newReplicaSetReplicas(sync.d, allRSs, newRS))).scaled;
}

async function reconcileOldReplicaSets(
  sync: DeploymentSync,
  allRSs: MaybeReplicaSet[],
  oldRSs: V1ReplicaSet[],
  newRS: V1ReplicaSet,
): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false;
  const maxScaledDown = maxOldScaleDown(sync.d, allRSs, newRS);
  if (maxScaledDown <= 0) return false;
  let total = 0;
  const current = new Map(oldRSs.map((rs) => [rs.metadata?.uid ?? '', rs]));
  for (const target of unhealthyCleanups(oldRSs, maxScaledDown)) {
    const { rs } = await sync.scaleAndRecord(target.rs, target.replicas);
    total += specReplicas(target.rs) - target.replicas;
    current.set(rs.metadata?.uid ?? '', rs);
  }
  const remaining = [...current.values()];
  for (const target of oldScaleDowns(sync.d, [...remaining, newRS], remaining)) {
    await sync.scaleAndRecord(target.rs, target.replicas);
    total += specReplicas(target.rs) - target.replicas;
  }
  return total > 0;
}

export async function rolloutRolling(sync: DeploymentSync, rsList: readonly V1ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(rsList, true);
  const allRSs: MaybeReplicaSet[] = [...oldRSs, newRS];
  if (!newRS) return;
  if (await reconcileNewReplicaSet(sync, allRSs, newRS)) {
    await sync.syncRolloutStatus(allRSs, newRS);
    return;
  }
  if (await reconcileOldReplicaSets(sync, allRSs, filterActive(oldRSs), newRS)) {
    await sync.syncRolloutStatus(allRSs, newRS);
    return;
  }
  if (deploymentComplete(sync.d, sync.d.status ?? {})) await sync.cleanup(oldRSs);
  await sync.syncRolloutStatus(allRSs, newRS);
}

/** Old ReplicaSets still have replicas, or pods of any but the new one are not finished (oldPodsRunning). */
function oldPodsRunning(newRS: MaybeReplicaSet, oldRSs: V1ReplicaSet[], pods: PodsByReplicaSet): boolean {
  if (oldRSs.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0) > 0) return true;
  for (const [uid, list] of pods) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    if (list.some((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')) return true;
  }
  return false;
}

export async function rolloutRecreate(
  sync: DeploymentSync,
  rsList: readonly V1ReplicaSet[],
  pods: PodsByReplicaSet,
): Promise<void> {
  let { newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(rsList, false);
  let allRSs: MaybeReplicaSet[] = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) {
    if ((await sync.scaleAndRecord(rs, 0)).scaled) scaledDown = true;
  }
  if (scaledDown || oldPodsRunning(newRS, oldRSs, pods)) {
    await sync.syncRolloutStatus(allRSs, newRS);
    return;
  }
  if (!newRS) {
    ({ newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  if (newRS) await sync.scaleAndRecord(newRS, sync.d.spec?.replicas ?? 1);
  if (deploymentComplete(sync.d, sync.d.status ?? {})) await sync.cleanup(oldRSs);
  await sync.syncRolloutStatus(allRSs, newRS);
}
