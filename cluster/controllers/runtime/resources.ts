// Typed handles on the built-in resources controllers read and write: the phantom type ties a
// resource to its @kubernetes/client-node model, so clients and informers come out typed.

import type {
  CoreV1Event,
  V1ConfigMap,
  V1ControllerRevision,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1EndpointSlice,
  V1Endpoints,
  V1Job,
  V1Lease,
  V1Namespace,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodDisruptionBudget,
  V1ReplicaSet,
  V1Secret,
  V1Service,
  V1ServiceAccount,
  V1StatefulSet,
  V1StorageClass,
} from '@kubernetes/client-node';
import type { ApiObject } from './apiObject';

export interface ResourceRef<T extends ApiObject> {
  group: string;
  version: string;
  plural: string;
  /** Never set: carries the model type. */
  readonly model?: T;
}

function ref<T extends ApiObject>(group: string, version: string, plural: string): ResourceRef<T> {
  return { group, version, plural };
}

export const resources = {
  configMaps: ref<V1ConfigMap>('', 'v1', 'configmaps'),
  controllerRevisions: ref<V1ControllerRevision>('apps', 'v1', 'controllerrevisions'),
  cronJobs: ref<V1CronJob>('batch', 'v1', 'cronjobs'),
  daemonSets: ref<V1DaemonSet>('apps', 'v1', 'daemonsets'),
  deployments: ref<V1Deployment>('apps', 'v1', 'deployments'),
  endpoints: ref<V1Endpoints>('', 'v1', 'endpoints'),
  endpointSlices: ref<V1EndpointSlice>('discovery.k8s.io', 'v1', 'endpointslices'),
  events: ref<CoreV1Event>('', 'v1', 'events'),
  jobs: ref<V1Job>('batch', 'v1', 'jobs'),
  leases: ref<V1Lease>('coordination.k8s.io', 'v1', 'leases'),
  namespaces: ref<V1Namespace>('', 'v1', 'namespaces'),
  nodes: ref<V1Node>('', 'v1', 'nodes'),
  persistentVolumes: ref<V1PersistentVolume>('', 'v1', 'persistentvolumes'),
  persistentVolumeClaims: ref<V1PersistentVolumeClaim>('', 'v1', 'persistentvolumeclaims'),
  podDisruptionBudgets: ref<V1PodDisruptionBudget>('policy', 'v1', 'poddisruptionbudgets'),
  pods: ref<V1Pod>('', 'v1', 'pods'),
  replicaSets: ref<V1ReplicaSet>('apps', 'v1', 'replicasets'),
  secrets: ref<V1Secret>('', 'v1', 'secrets'),
  services: ref<V1Service>('', 'v1', 'services'),
  serviceAccounts: ref<V1ServiceAccount>('', 'v1', 'serviceaccounts'),
  statefulSets: ref<V1StatefulSet>('apps', 'v1', 'statefulsets'),
  storageClasses: ref<V1StorageClass>('storage.k8s.io', 'v1', 'storageclasses'),
};
