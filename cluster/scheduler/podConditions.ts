// The pod status the scheduler writes: PodScheduled=False with the reason and message of the last
// failed attempt (and the nominated node after preemption), and DisruptionTarget on preemption
// victims. The transition time moves only when the condition's status does, as
// podutil.UpdatePodCondition does; an unchanged status is not rewritten.

import type { V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { timestamp } from '../api/rest/restContext';

export type UnschedulableReason = 'Unschedulable' | 'SchedulerError';

/** Sets or replaces a condition; returns false when nothing would change. */
function setCondition(pod: V1Pod, wanted: Omit<V1PodCondition, 'lastTransitionTime'>, now: Date): boolean {
  pod.status ??= {};
  pod.status.conditions ??= [];
  const conditions = pod.status.conditions;
  const existing = conditions.find((c) => c.type === wanted.type);
  if (
    existing &&
    existing.status === wanted.status &&
    existing.reason === wanted.reason &&
    existing.message === wanted.message
  ) {
    return false;
  }
  const lastTransitionTime =
    existing && existing.status === wanted.status
      ? existing.lastTransitionTime
      : (timestamp(now) as unknown as Date);
  const condition: V1PodCondition = { ...wanted, lastTransitionTime };
  if (existing) conditions[conditions.indexOf(existing)] = condition;
  else conditions.push(condition);
  return true;
}

/**
 * Marks a pending pod unschedulable. `nominatedNodeName`: a name to set, null to clear, undefined
 * to leave as is. Returns the pod to write, or undefined when it is unchanged, bound or replaced.
 */
export function markUnschedulable(
  live: V1Pod,
  expect: { uid: string; reason: UnschedulableReason; message: string; nominatedNodeName?: string | null },
  now: Date,
): V1Pod | undefined {
  if (live.metadata?.uid !== expect.uid || live.spec?.nodeName) return undefined;
  let changed = setCondition(
    live,
    { type: 'PodScheduled', status: 'False', reason: expect.reason, message: expect.message },
    now,
  );
  const status = live.status ?? {};
  const nominated = expect.nominatedNodeName;
  if (nominated !== undefined && (status.nominatedNodeName ?? null) !== nominated) {
    if (nominated === null) delete status.nominatedNodeName;
    else status.nominatedNodeName = nominated;
    changed = true;
  }
  return changed ? live : undefined;
}

/** Marks a preemption victim, before it is deleted. */
export function markPreempted(live: V1Pod, uid: string, schedulerName: string, now: Date): V1Pod | undefined {
  if (live.metadata?.uid !== uid) return undefined;
  const changed = setCondition(
    live,
    {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: `${schedulerName}: preempting to accommodate a higher priority pod`,
    },
    now,
  );
  return changed ? live : undefined;
}
