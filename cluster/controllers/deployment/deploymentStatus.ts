// A Deployment's status and conditions, as Kubernetes' deployment controller computes them:
// counts summed over its ReplicaSets, `Available` from the maxUnavailable bound, and the
// `Progressing` judgements (complete, progressing, timed out) that `kubectl rollout status` and
// `helm --wait` read. Reasons and messages are Kubernetes' own.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go

import type {
  V1Deployment,
  V1DeploymentCondition,
  V1DeploymentStatus,
  V1ReplicaSetCondition,
} from '@kubernetes/client-node';
import { timestamp } from '../../api/rest/restContext';
import {
  actualReplicaCount,
  availableReplicaCount,
  type MaybeReplicaSet,
  readyReplicaCount,
  replicaCount,
  terminatingReplicaCount,
} from './replicaSetSets';
import { desiredReplicas, maxUnavailable } from './rolloutBounds';

export const reasons = {
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  newReplicaSet: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  failedReplicaSetCreate: 'ReplicaSetCreateError',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
} as const;

export type ConditionType = 'Available' | 'Progressing' | 'ReplicaFailure';

export function newCondition(
  type: ConditionType,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  now: Date,
): V1DeploymentCondition {
  const at = timestamp(now) as unknown as Date;
  return { type, status, reason, message, lastUpdateTime: at, lastTransitionTime: at };
}

export function getCondition(
  status: V1DeploymentStatus | undefined,
  type: ConditionType,
): V1DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** Sets `condition` unless one of its type already has the same status and reason (SetDeploymentCondition). */
export function setCondition(status: V1DeploymentStatus, condition: V1DeploymentCondition): void {
  const current = getCondition(status, condition.type as ConditionType);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: V1DeploymentStatus, type: ConditionType): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  if (rest.length > 0) status.conditions = rest;
  else delete status.conditions;
}

export function replicaSetToDeploymentCondition(c: V1ReplicaSetCondition): V1DeploymentCondition {
  const out: V1DeploymentCondition = { type: c.type, status: c.status };
  if (c.lastTransitionTime) {
    out.lastTransitionTime = c.lastTransitionTime;
    out.lastUpdateTime = c.lastTransitionTime;
  }
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}

/** progressDeadlineSeconds set and not MaxInt32 (which means "never"). */
export function hasProgressDeadline(d: V1Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== 2 ** 31 - 1;
}

/** Status counts from the ReplicaSets, conditions carried over, Available re-judged (calculateStatus). */
export function calculateStatus(
  allRSs: readonly MaybeReplicaSet[],
  newRS: MaybeReplicaSet,
  d: V1Deployment,
  now: Date,
): V1DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const unavailable = Math.max(0, replicaCount(allRSs) - available);
  const counts: [keyof V1DeploymentStatus, number][] = [
    ['observedGeneration', d.metadata?.generation ?? 0],
    ['replicas', actualReplicaCount(allRSs)],
    ['updatedReplicas', actualReplicaCount([newRS])],
    ['readyReplicas', readyReplicaCount(allRSs)],
    ['availableReplicas', available],
    ['unavailableReplicas', unavailable],
  ];
  const status: V1DeploymentStatus = {};
  // Go's omitempty: zero counts are left out of the JSON.
  for (const [key, value] of counts) if (value !== 0) (status as Record<string, number>)[key] = value;
  const terminating = terminatingReplicaCount(allRSs);
  if (terminating !== undefined) status.terminatingReplicas = terminating;
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setCondition(
      status,
      newCondition(
        'Available',
        'True',
        reasons.minimumReplicasAvailable,
        'Deployment has minimum availability.',
        now,
      ),
    );
  } else {
    setCondition(
      status,
      newCondition(
        'Available',
        'False',
        reasons.minimumReplicasUnavailable,
        'Deployment does not have minimum availability.',
        now,
      ),
    );
  }
  return status;
}

/** Every replica updated and available, and the newest spec observed (DeploymentComplete). */
export function deploymentComplete(d: V1Deployment, status: V1DeploymentStatus): boolean {
  const desired = desiredReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === desired &&
    (status.replicas ?? 0) === desired &&
    (status.availableReplicas ?? 0) === desired &&
    (status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/** More updated, ready or available pods, or fewer old ones, than the stored status (DeploymentProgressing). */
export function deploymentProgressing(d: V1Deployment, next: V1DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** No progress for progressDeadlineSeconds since the Progressing condition last moved (DeploymentTimedOut). */
export function deploymentTimedOut(d: V1Deployment, next: V1DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getCondition(next, 'Progressing');
  if (!condition) return false;
  if (condition.reason === reasons.newReplicaSetAvailable) return false;
  if (condition.reason === reasons.timedOut) return true;
  if (!condition.lastUpdateTime) return false;
  const from = new Date(condition.lastUpdateTime).getTime();
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < now.getTime();
}
