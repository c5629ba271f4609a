// Looks up the write-path strategy for a resource; resources without special rules get the
// generic one (DNS-1123 subdomain names, status split when the resource has /status).

import { isDns1123Subdomain } from './names';
import type { ResourceInfo } from './resourceCatalog';
import { cronJobStrategy, jobStrategy } from './strategies/batchStrategies';
import {
  configMapStrategy,
  createOnUpdateStrategy,
  endpointSliceStrategy,
  endpointsStrategy,
  generationStrategy,
  namespaceStrategy,
  networkPolicyStrategy,
  nodeStrategy,
  persistentVolumeClaimStrategy,
  persistentVolumeStrategy,
  priorityClassStrategy,
  rbacStrategy,
  secretStrategy,
  storageClassStrategy,
} from './strategies/coreStrategies';
import { podStrategy } from './strategies/podStrategy';
import { serviceStrategy } from './strategies/serviceStrategy';
import {
  daemonSetStrategy,
  deploymentStrategy,
  replicaSetStrategy,
  replicationControllerStrategy,
  statefulSetStrategy,
} from './strategies/workloadStrategies';
import type { ResourceStrategy } from './strategy';

const byResource: Record<string, Partial<ResourceStrategy>> = {
  '/pods': podStrategy,
  '/services': serviceStrategy,
  '/namespaces': namespaceStrategy,
  '/configmaps': configMapStrategy,
  '/secrets': secretStrategy,
  '/persistentvolumes': persistentVolumeStrategy,
  '/persistentvolumeclaims': persistentVolumeClaimStrategy,
  '/endpoints': endpointsStrategy,
  '/nodes': nodeStrategy,
  '/events': createOnUpdateStrategy,
  '/limitranges': createOnUpdateStrategy,
  'events.k8s.io/events': createOnUpdateStrategy,
  'coordination.k8s.io/leases': createOnUpdateStrategy,
  '/replicationcontrollers': replicationControllerStrategy,
  'apps/deployments': deploymentStrategy,
  'apps/replicasets': replicaSetStrategy,
  'apps/statefulsets': statefulSetStrategy,
  'apps/daemonsets': daemonSetStrategy,
  'batch/jobs': jobStrategy,
  'batch/cronjobs': cronJobStrategy,
  'autoscaling/horizontalpodautoscalers': generationStrategy,
  'policy/poddisruptionbudgets': generationStrategy,
  'networking.k8s.io/ingresses': generationStrategy,
  'networking.k8s.io/networkpolicies': networkPolicyStrategy,
  'discovery.k8s.io/endpointslices': endpointSliceStrategy,
  'storage.k8s.io/storageclasses': storageClassStrategy,
  'scheduling.k8s.io/priorityclasses': priorityClassStrategy,
  'apiextensions.k8s.io/customresourcedefinitions': generationStrategy,
  'rbac.authorization.k8s.io/roles': rbacStrategy,
  'rbac.authorization.k8s.io/rolebindings': rbacStrategy,
  'rbac.authorization.k8s.io/clusterroles': rbacStrategy,
  'rbac.authorization.k8s.io/clusterrolebindings': rbacStrategy,
};

const cache = new Map<ResourceInfo, ResourceStrategy>();

export function strategyFor(info: ResourceInfo): ResourceStrategy {
  let strategy = cache.get(info);
  if (!strategy) {
    strategy = {
      nameCheck: isDns1123Subdomain,
      hasStatus: info.subresources.some((s) => s.name === 'status'),
      tracksGeneration: false,
      ...byResource[`${info.group}/${info.plural}`],
    };
    cache.set(info, strategy);
  }
  return strategy;
}
