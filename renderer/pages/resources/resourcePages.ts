import type { ViewResource } from '../../../main/host/clusterView/clusterViewContract';

// Which resources each dashboard page lists, as tabs, in the order Lens and kubectl users expect.

export interface ResourceTab {
  resource: ViewResource;
  title: string;
  namespaced: boolean;
}

const tab = (resource: ViewResource, title: string, namespaced = true): ResourceTab => ({
  resource,
  title,
  namespaced,
});

export const resourcePages: Record<string, ResourceTab[]> = {
  workloads: [
    tab('pods', 'Pods'),
    tab('deployments', 'Deployments'),
    tab('statefulsets', 'StatefulSets'),
    tab('daemonsets', 'DaemonSets'),
    tab('replicasets', 'ReplicaSets'),
    tab('jobs', 'Jobs'),
    tab('cronjobs', 'CronJobs'),
  ],
  services: [
    tab('services', 'Services'),
    tab('endpoints', 'Endpoints'),
    tab('ingresses', 'Ingresses'),
    tab('networkpolicies', 'NetworkPolicies'),
  ],
  config: [
    tab('configmaps', 'ConfigMaps'),
    tab('secrets', 'Secrets'),
    tab('persistentvolumeclaims', 'PersistentVolumeClaims'),
    tab('persistentvolumes', 'PersistentVolumes', false),
    tab('storageclasses', 'StorageClasses', false),
  ],
  nodes: [tab('nodes', 'Nodes', false)],
  events: [tab('events', 'Events')],
  namespaces: [tab('namespaces', 'Namespaces', false)],
};
