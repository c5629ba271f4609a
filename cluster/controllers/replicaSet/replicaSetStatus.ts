// A ReplicaSet's status from the pods it owns, as the replicaset controller's calculateStatus
// computes it: counts of active pods, of those carrying every template label, Ready, and Ready for
// minReadySeconds, plus the ReplicaFailure condition while creating or deleting pods fails.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/replicaset/replica_set_utils.go

import type { V1Pod, V1ReplicaSet, V1ReplicaSetCondition, V1ReplicaSetStatus } from '@kubernetes/client-node';
import { timestamp } from '../../api/rest/restContext';
import { isPodAvailable, isPodReady } from './podState';

export const replicaFailure = 'ReplicaFailure';

function hasAllLabels(pod: V1Pod, wanted: [string, string][]): boolean {
  const labels = pod.metadata?.labels ?? {};
  return wanted.every(([k, v]) => labels[k] === v);
}

/** Sets a condition unless one with the same status and reason is already there (SetCondition). */
export function withCondition(
  conditions: readonly V1ReplicaSetCondition[],
  condition: V1ReplicaSetCondition,
): V1ReplicaSetCondition[] {
  const current = conditions.find((c) => c.type === condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) {
    return [...conditions];
  }
  return [...conditions.filter((c) => c.type !== condition.type), condition];
}

export interface ReplicaSetStatusInput {
  rs: V1ReplicaSet;
  /** Active pods the ReplicaSet owns (after adoption and any deletions of this sync). */
  pods: readonly V1Pod[];
  terminating: number;
  /** Why creating or deleting pods failed in this sync, if it did. */
  manageError?: Error;
  now: Date;
}

/** The new status; Go's omitempty leaves zero counts out, except `replicas` and `terminatingReplicas`. */
export function calculateReplicaSetStatus(input: ReplicaSetStatusInput): V1ReplicaSetStatus {
  const { rs, pods, manageError, now } = input;
  const templateLabels = Object.entries(rs.spec?.template?.metadata?.labels ?? {});
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (hasAllLabels(pod, templateLabels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  let conditions = [...(rs.status?.conditions ?? [])];
  const failing = conditions.some((c) => c.type === replicaFailure);
  if (manageError && !failing) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    conditions = withCondition(conditions, {
      type: replicaFailure,
      status: 'True',
      reason: diff < 0 ? 'FailedCreate' : 'FailedDelete',
      message: manageError.message,
      lastTransitionTime: timestamp(now) as unknown as Date,
    });
  } else if (!manageError && failing) {
    conditions = conditions.filter((c) => c.type !== replicaFailure);
  }
  const status: V1ReplicaSetStatus = { replicas: pods.length };
  if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  status.terminatingReplicas = input.terminating;
  if (rs.status?.observedGeneration) status.observedGeneration = rs.status.observedGeneration;
  if (conditions.length) status.conditions = conditions;
  return status;
}
