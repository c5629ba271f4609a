import type { ApiObject } from '../../../cluster/controllers/runtime/apiObject';
import type { ResourceRef } from '../../../cluster/controllers/runtime/resources';
import type { ViewResource } from './clusterViewContract';

// Where each resource the dashboard shows is served, and its kind (for the table printer).

export interface ViewResourceInfo extends ResourceRef<ApiObject> {
  kind: string;
}

const info = (group: string, version: string, plural: string, kind: string): ViewResourceInfo => ({
  group,
  version,
  plural,
  kind,
});

export const viewResources: Record<ViewResource, ViewResourceInfo> = {
  pods: info('', 'v1', 'pods', 'Pod'),
  deployments: info('apps', 'v1', 'deployments', 'Deployment'),
  statefulsets: info('apps', 'v1', 'statefulsets', 'StatefulSet'),
  daemonsets: info('apps', 'v1', 'daemonsets', 'DaemonSet'),
  replicasets: info('apps', 'v1', 'replicasets', 'ReplicaSet'),
  jobs: info('batch', 'v1', 'jobs', 'Job'),
  cronjobs: info('batch', 'v1', 'cronjobs', 'CronJob'),
  services: info('', 'v1', 'services', 'Service'),
  endpoints: info('', 'v1', 'endpoints', 'Endpoints'),
  ingresses: info('networking.k8s.io', 'v1', 'ingresses', 'Ingress'),
  networkpolicies: info('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy'),
  configmaps: info('', 'v1', 'configmaps', 'ConfigMap'),
  secrets: info('', 'v1', 'secrets', 'Secret'),
  persistentvolumeclaims: info('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim'),
  persistentvolumes: info('', 'v1', 'persistentvolumes', 'PersistentVolume'),
  storageclasses: info('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass'),
  nodes: info('', 'v1', 'nodes', 'Node'),
  events: info('', 'v1', 'events', 'Event'),
  namespaces: info('', 'v1', 'namespaces', 'Namespace'),
};
