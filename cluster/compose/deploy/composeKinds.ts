// The kinds a converted compose project can hold, in the order `up` applies them: what pods need
// (config, secrets, claims, Services for DNS) before the workloads, and what points at workloads after.
// `down` and `ps` look for the project's objects among exactly these kinds.

export interface KindRef {
  apiVersion: string;
  kind: string;
}

export const composeKinds: KindRef[] = [
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
];

/** Position of a kind in the apply order; unknown kinds go last. */
export function applyRank(kind: string | undefined): number {
  const index = composeKinds.findIndex((k) => k.kind === kind);
  return index === -1 ? composeKinds.length : index;
}
