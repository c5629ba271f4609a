// maxSurge and maxUnavailable resolved against the desired replicas, with Kubernetes' rounding:
// a percentage of surge rounds up, a percentage of unavailability rounds down, and when both come
// out 0 one pod may be unavailable so the rollout can move (ResolveFenceposts).
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go

import type { IntOrString, V1Deployment } from '@kubernetes/client-node';

/** An int as is, or `N%` of `total` rounded up or down (intstr.GetScaledValueFromIntOrPercent). */
export function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return Math.trunc(value);
  if (!value.endsWith('%')) {
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  }
  const digits = value.slice(0, -1);
  if (!/^[-+]?\d+$/.test(digits)) {
    throw new Error(
      `invalid value for IntOrString: invalid value "${value}": strconv.Atoi: parsing "${digits}": invalid syntax`,
    );
  }
  const scaled = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export function isRollingUpdate(d: V1Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function desiredReplicas(d: V1Deployment): number {
  return d.spec?.replicas ?? 1;
}

/** [surge, unavailable] for `desired` replicas; [0, 0] when a value does not parse, as Kubernetes' callers treat errors. */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): [number, number] {
  try {
    const surge = scaledValue(maxSurge ?? 0, desired, true);
    let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
    if (surge === 0 && unavailable === 0) unavailable = 1;
    return [surge, unavailable];
  } catch {
    return [0, 0];
  }
}

export function maxSurge(d: V1Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const rolling = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, desiredReplicas(d))[0];
}

export function maxUnavailable(d: V1Deployment): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  const rolling = d.spec?.strategy?.rollingUpdate;
  const unavailable = resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, desired)[1];
  return Math.min(unavailable, desired);
}
