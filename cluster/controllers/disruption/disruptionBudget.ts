// A PodDisruptionBudget's status, computed as the disruption controller does: how many selected
// pods must stay healthy (minAvailable, or the controllers' scale minus maxUnavailable), how many
// are healthy now (Ready, not being deleted, not just evicted), and so how many disruptions are
// allowed. Pure: the controller supplies the pods and the scale of their controllers.
// https://kubernetes.io/docs/tasks/run-application/configure-pdb/#think-about-how-your-application-reacts-to-disruptions

import type {
  V1Condition,
  V1Pod,
  V1PodDisruptionBudget,
  V1PodDisruptionBudgetStatus,
} from '@kubernetes/client-node';
import { timestamp } from '../../api/rest/restContext';
import { labelSelectorFromObject } from '../../registry/selectors';
import { scaledValue } from '../deployment/rolloutBounds';
import { isPodReady } from '../endpoints/servicePods';
import { controllerOf } from '../runtime/ownerReferences';

export const disruptionAllowedCondition = 'DisruptionAllowed';
/** An evicted pod not deleted within this long counts again (the eviction did not happen). */
export const deletionTimeoutMs = 2 * 60_000;

/** The pods a budget selects (an empty selector selects every pod of the namespace). */
export function budgetSelects(pdb: V1PodDisruptionBudget, pod: V1Pod): boolean {
  return labelSelectorFromObject(pdb.spec?.selector).matches(pod.metadata?.labels ?? {});
}

/** The scale of the controller managing a pod, or undefined when that controller cannot be found. */
export type ControllerScaleOf = (pod: V1Pod) => { uid: string; replicas: number } | undefined;

export interface BudgetCounts {
  expectedPods: number;
  desiredHealthy: number;
  currentHealthy: number;
  /** Recent evictions still expected to complete: pod name → when evicted. */
  disruptedPods: Record<string, string>;
  /** When the earliest of those expires, if any. */
  recheckAt?: number;
  /** Selected pods without a controller, which a scale-based budget cannot count. */
  unmanagedPods: string[];
}

function expectedScale(
  pods: readonly V1Pod[],
  scaleOf: ControllerScaleOf,
): { expected: number; unmanaged: string[] } {
  const seen = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    if (!controllerOf(pod)) {
      unmanaged.push(pod.metadata?.name ?? '');
      continue;
    }
    const scale = scaleOf(pod);
    if (!scale) throw new Error(`found no controllers for pod "${pod.metadata?.name}"`);
    seen.set(scale.uid, scale.replicas);
  }
  let expected = 0;
  for (const replicas of seen.values()) expected += replicas;
  return { expected, unmanaged };
}

/** Throws (with the message the SyncFailed condition shows) when the budget cannot be computed. */
export function countBudget(
  pdb: V1PodDisruptionBudget,
  pods: readonly V1Pod[],
  scaleOf: ControllerScaleOf,
  now: Date,
): BudgetCounts {
  const spec = pdb.spec ?? {};
  let expectedPods = 0;
  let desiredHealthy = 0;
  let unmanagedPods: string[] = [];
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const { expected, unmanaged } = expectedScale(pods, scaleOf);
    expectedPods = expected;
    unmanagedPods = unmanaged;
    desiredHealthy = Math.max(0, expected - scaledValue(spec.maxUnavailable, expected, true));
  } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') {
      desiredHealthy = spec.minAvailable;
      expectedPods = pods.length;
    } else {
      const { expected, unmanaged } = expectedScale(pods, scaleOf);
      expectedPods = expected;
      unmanagedPods = unmanaged;
      desiredHealthy = scaledValue(spec.minAvailable, expected, true);
    }
  }

  const recorded = pdb.status?.disruptedPods ?? {};
  const disruptedPods: Record<string, string> = {};
  let recheckAt: number | undefined;
  let currentHealthy = 0;
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp) continue;
    const evictedAt = recorded[name];
    if (evictedAt !== undefined) {
      const expires = new Date(evictedAt).getTime() + deletionTimeoutMs;
      if (expires > now.getTime()) {
        disruptedPods[name] = String(evictedAt);
        recheckAt = Math.min(recheckAt ?? expires, expires);
        continue;
      }
    }
    if (isPodReady(pod)) currentHealthy++;
  }
  return { expectedPods, desiredHealthy, currentHealthy, disruptedPods, recheckAt, unmanagedPods };
}

function withCondition(
  current: readonly V1Condition[] | undefined,
  condition: Omit<V1Condition, 'lastTransitionTime'>,
  now: Date,
): V1Condition[] {
  const others = (current ?? []).filter((c) => c.type !== condition.type);
  const old = (current ?? []).find((c) => c.type === condition.type);
  const lastTransitionTime =
    old && old.status === condition.status ? old.lastTransitionTime : (timestamp(now) as unknown as Date);
  return [...others, { ...condition, lastTransitionTime }];
}

export function budgetStatus(
  pdb: V1PodDisruptionBudget,
  counts: BudgetCounts,
  now: Date,
): V1PodDisruptionBudgetStatus {
  const observedGeneration = pdb.metadata?.generation ?? 0;
  const difference = counts.currentHealthy - counts.desiredHealthy;
  const disruptionsAllowed = counts.expectedPods <= 0 || difference <= 0 ? 0 : difference;
  const status: V1PodDisruptionBudgetStatus = {
    observedGeneration,
    currentHealthy: counts.currentHealthy,
    desiredHealthy: counts.desiredHealthy,
    disruptionsAllowed,
    expectedPods: counts.expectedPods,
    conditions: withCondition(
      pdb.status?.conditions,
      {
        type: disruptionAllowedCondition,
        status: disruptionsAllowed > 0 ? 'True' : 'False',
        reason: disruptionsAllowed > 0 ? 'SufficientPods' : 'InsufficientPods',
        message: '',
        observedGeneration,
      },
      now,
    ),
  };
  if (Object.keys(counts.disruptedPods).length > 0)
    status.disruptedPods = counts.disruptedPods as unknown as Record<string, Date>;
  return status;
}

/** The fail-safe status when the budget cannot be computed: no disruptions, and why. */
export function failedBudgetStatus(
  pdb: V1PodDisruptionBudget,
  message: string,
  now: Date,
): V1PodDisruptionBudgetStatus {
  const observedGeneration = pdb.metadata?.generation ?? 0;
  return {
    ...pdb.status,
    currentHealthy: pdb.status?.currentHealthy ?? 0,
    desiredHealthy: pdb.status?.desiredHealthy ?? 0,
    expectedPods: pdb.status?.expectedPods ?? 0,
    observedGeneration,
    disruptionsAllowed: 0,
    conditions: withCondition(
      pdb.status?.conditions,
      {
        type: disruptionAllowedCondition,
        status: 'False',
        reason: 'SyncFailed',
        message,
        observedGeneration,
      },
      now,
    ),
  };
}
