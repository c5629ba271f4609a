import type { KubernetesObject, V1PodSpec } from '@kubernetes/client-node';
import { SELECTOR } from '../convert/labels';

// Groups converted objects under the compose service they belong to, for the preview, per-service
// progress and `compose ps`. Workloads and Services name their service in the `io.kompose.service`
// label; ConfigMaps, Secrets and claims belong to the one service whose pods use them, and
// anything used by several services (or none) is shared by the project.

export const sharedGroup = 'shared';

export interface ServiceGroup {
  /** The compose service name, or `shared`. */
  service: string;
  objects: KubernetesObject[];
}

const workloadKinds = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
]);

export function isWorkload(object: KubernetesObject): boolean {
  return workloadKinds.has(object.kind ?? '');
}

/** The pod spec a workload runs, however deep its kind keeps it. */
export function podSpecOf(object: KubernetesObject): V1PodSpec | undefined {
  const spec = (object as { spec?: Record<string, unknown> }).spec;
  if (!spec) return undefined;
  if (object.kind === 'Pod') return spec as unknown as V1PodSpec;
  if (object.kind === 'CronJob') {
    const job = spec.jobTemplate as { spec?: { template?: { spec?: V1PodSpec } } } | undefined;
    return job?.spec?.template?.spec;
  }
  return (spec.template as { spec?: V1PodSpec } | undefined)?.spec;
}

/** `Kind/name` of every ConfigMap, Secret and claim a pod spec refers to. */
export function podSpecReferences(spec: V1PodSpec): Set<string> {
  const refs = new Set<string>();
  for (const volume of spec.volumes ?? []) {
    if (volume.configMap?.name) refs.add(`ConfigMap/${volume.configMap.name}`);
    if (volume.secret?.secretName) refs.add(`Secret/${volume.secret.secretName}`);
    if (volume.persistentVolumeClaim?.claimName)
      refs.add(`PersistentVolumeClaim/${volume.persistentVolumeClaim.claimName}`);
    for (const source of volume.projected?.sources ?? []) {
      if (source.configMap?.name) refs.add(`ConfigMap/${source.configMap.name}`);
      if (source.secret?.name) refs.add(`Secret/${source.secret.name}`);
    }
  }
  for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
    for (const from of container.envFrom ?? []) {
      if (from.configMapRef?.name) refs.add(`ConfigMap/${from.configMapRef.name}`);
      if (from.secretRef?.name) refs.add(`Secret/${from.secretRef.name}`);
    }
    for (const env of container.env ?? []) {
      if (env.valueFrom?.configMapKeyRef?.name) refs.add(`ConfigMap/${env.valueFrom.configMapKeyRef.name}`);
      if (env.valueFrom?.secretKeyRef?.name) refs.add(`Secret/${env.valueFrom.secretKeyRef.name}`);
    }
  }
  for (const secret of spec.imagePullSecrets ?? []) if (secret.name) refs.add(`Secret/${secret.name}`);
  return refs;
}

const serviceLabelOf = (object: KubernetesObject) => object.metadata?.labels?.[SELECTOR];

/**
 * Groups in a stable order: `shared` first (it holds what the services need), then services by name.
 * An object named by a label that is not a workload's service still falls back to references.
 */
export function groupObjectsByService(objects: KubernetesObject[]): ServiceGroup[] {
  const owner = new Map<KubernetesObject, string>();
  const workloadService = new Map<string, string>();
  const usedBy = new Map<string, Set<string>>();
  for (const object of objects.filter(isWorkload)) {
    const service = serviceLabelOf(object) ?? object.metadata?.name ?? sharedGroup;
    owner.set(object, service);
    workloadService.set(`${object.kind}/${object.metadata?.name}`, service);
    const spec = podSpecOf(object);
    for (const ref of spec ? podSpecReferences(spec) : []) {
      usedBy.set(ref, (usedBy.get(ref) ?? new Set()).add(service));
    }
  }
  const services = new Set(owner.values());
  for (const object of objects) {
    if (owner.has(object)) continue;
    const label = serviceLabelOf(object);
    const users = usedBy.get(`${object.kind}/${object.metadata?.name}`);
    const target = (object as { spec?: { scaleTargetRef?: { kind?: string; name?: string } } }).spec
      ?.scaleTargetRef;
    let service: string | undefined;
    if (object.kind === 'HorizontalPodAutoscaler' && target)
      service = workloadService.get(`${target.kind}/${target.name}`);
    else if (users) service = users.size === 1 ? [...users][0] : sharedGroup;
    else if (label && services.has(label)) service = label;
    // A Service or Ingress of a service grouped away from its workload still names it.
    else if (label && (object.kind === 'Service' || object.kind === 'Ingress')) service = label;
    owner.set(object, service ?? sharedGroup);
  }
  const groups = new Map<string, KubernetesObject[]>();
  for (const object of objects) {
    const service = owner.get(object) ?? sharedGroup;
    groups.set(service, [...(groups.get(service) ?? []), object]);
  }
  return [...groups.entries()]
    .map(([service, members]) => ({ service, objects: members }))
    .sort((a, b) =>
      a.service === sharedGroup ? -1 : b.service === sharedGroup ? 1 : a.service.localeCompare(b.service),
    );
}
