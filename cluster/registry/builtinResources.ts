// Every built-in resource we serve, in Kubernetes' discovery order (kubectl resolves ambiguous
// names like `events` to the first group listed). Names, short names and categories follow
// kube-apiserver 1.35 (`kubectl api-resources` on a real cluster).

import {
  allVerbs,
  ResourceCatalog,
  type ResourceInfo,
  type SubresourceInfo,
  type Verb,
} from './resourceCatalog';

interface Options {
  namespaced?: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: Verb[];
  subresources?: string[];
  singular?: string;
}

const subresourceVerbs: Record<string, string[]> = {
  status: ['get', 'patch', 'update'],
  approval: ['get', 'patch', 'update'],
  scale: ['get', 'patch', 'update'],
  binding: ['create'],
  eviction: ['create'],
  token: ['create'],
  log: ['get'],
  exec: ['create', 'get'],
  attach: ['create', 'get'],
  portforward: ['create', 'get'],
  finalize: ['update'],
};

function resource(gv: string, kind: string, plural: string, options: Options = {}): ResourceInfo {
  const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
  const subresources: SubresourceInfo[] = (options.subresources ?? []).map((name) => {
    if (name === 'scale')
      return {
        name,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: subresourceVerbs.scale ?? [],
      };
    if (name === 'eviction')
      return { name, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    if (name === 'token')
      return { name, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] };
    if (name === 'binding') return { name, group: '', version: 'v1', kind: 'Binding', verbs: ['create'] };
    if (['log', 'exec', 'attach', 'portforward'].includes(name)) {
      const streamKind = {
        log: 'Pod',
        exec: 'PodExecOptions',
        attach: 'PodAttachOptions',
        portforward: 'PodPortForwardOptions',
      }[name] as string;
      return { name, group: '', version: 'v1', kind: streamKind, verbs: subresourceVerbs[name] ?? [] };
    }
    return { name, group, version, kind, verbs: subresourceVerbs[name] ?? [] };
  });
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: options.singular ?? kind.toLowerCase(),
    namespaced: options.namespaced ?? true,
    shortNames: options.shortNames ?? [],
    categories: options.categories ?? [],
    verbs: options.verbs ?? allVerbs,
    subresources,
  };
}

const cluster = { namespaced: false };
const all = ['all'];
const createOnly: Verb[] = ['create'];
const noCollection: Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const builtinResources: ResourceInfo[] = [
  resource('v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  resource('v1', 'Endpoints', 'endpoints', { shortNames: ['ep'], singular: 'endpoints' }),
  resource('v1', 'Event', 'events', { shortNames: ['ev'] }),
  resource('v1', 'LimitRange', 'limitranges', { shortNames: ['limits'] }),
  resource('v1', 'Namespace', 'namespaces', {
    ...cluster,
    shortNames: ['ns'],
    verbs: noCollection,
    subresources: ['finalize', 'status'],
  }),
  resource('v1', 'Node', 'nodes', { ...cluster, shortNames: ['no'], subresources: ['status'] }),
  resource('v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', {
    shortNames: ['pvc'],
    subresources: ['status'],
  }),
  resource('v1', 'PersistentVolume', 'persistentvolumes', {
    ...cluster,
    shortNames: ['pv'],
    subresources: ['status'],
  }),
  resource('v1', 'Pod', 'pods', {
    shortNames: ['po'],
    categories: all,
    subresources: ['attach', 'binding', 'eviction', 'exec', 'log', 'portforward', 'status'],
  }),
  resource('v1', 'ReplicationController', 'replicationcontrollers', {
    shortNames: ['rc'],
    categories: all,
    subresources: ['scale', 'status'],
  }),
  resource('v1', 'ResourceQuota', 'resourcequotas', { shortNames: ['quota'], subresources: ['status'] }),
  resource('v1', 'Secret', 'secrets'),
  resource('v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'], subresources: ['token'] }),
  resource('v1', 'Service', 'services', {
    shortNames: ['svc'],
    categories: all,
    verbs: noCollection,
    subresources: ['status'],
  }),
  resource('apps/v1', 'ControllerRevision', 'controllerrevisions'),
  resource('apps/v1', 'DaemonSet', 'daemonsets', {
    shortNames: ['ds'],
    categories: all,
    subresources: ['status'],
  }),
  resource('apps/v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    categories: all,
    subresources: ['scale', 'status'],
  }),
  resource('apps/v1', 'ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    categories: all,
    subresources: ['scale', 'status'],
  }),
  resource('apps/v1', 'StatefulSet', 'statefulsets', {
    shortNames: ['sts'],
    categories: all,
    subresources: ['scale', 'status'],
  }),
  resource('events.k8s.io/v1', 'Event', 'events', { shortNames: ['ev'] }),
  resource('authentication.k8s.io/v1', 'SelfSubjectReview', 'selfsubjectreviews', {
    ...cluster,
    verbs: createOnly,
  }),
  resource('authentication.k8s.io/v1', 'TokenReview', 'tokenreviews', { ...cluster, verbs: createOnly }),
  resource('authorization.k8s.io/v1', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', {
    verbs: createOnly,
  }),
  resource('authorization.k8s.io/v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', {
    ...cluster,
    verbs: createOnly,
  }),
  resource('authorization.k8s.io/v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', {
    ...cluster,
    verbs: createOnly,
  }),
  resource('authorization.k8s.io/v1', 'SubjectAccessReview', 'subjectaccessreviews', {
    ...cluster,
    verbs: createOnly,
  }),
  resource('autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', {
    shortNames: ['hpa'],
    categories: all,
    subresources: ['status'],
  }),
  resource('autoscaling/v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', {
    shortNames: ['hpa'],
    categories: all,
    subresources: ['status'],
  }),
  resource('batch/v1', 'CronJob', 'cronjobs', {
    shortNames: ['cj'],
    categories: all,
    subresources: ['status'],
  }),
  resource('batch/v1', 'Job', 'jobs', { categories: all, subresources: ['status'] }),
  resource('certificates.k8s.io/v1', 'CertificateSigningRequest', 'certificatesigningrequests', {
    ...cluster,
    shortNames: ['csr'],
    subresources: ['approval', 'status'],
  }),
  resource('networking.k8s.io/v1', 'IngressClass', 'ingressclasses', cluster),
  resource('networking.k8s.io/v1', 'Ingress', 'ingresses', { shortNames: ['ing'], subresources: ['status'] }),
  resource('networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', { shortNames: ['netpol'] }),
  resource('policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', {
    shortNames: ['pdb'],
    subresources: ['status'],
  }),
  resource('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', cluster),
  resource('rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', cluster),
  resource('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings'),
  resource('rbac.authorization.k8s.io/v1', 'Role', 'roles'),
  resource('storage.k8s.io/v1', 'StorageClass', 'storageclasses', { ...cluster, shortNames: ['sc'] }),
  resource('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', {
    ...cluster,
    shortNames: ['crd', 'crds'],
    subresources: ['status'],
  }),
  resource('scheduling.k8s.io/v1', 'PriorityClass', 'priorityclasses', { ...cluster, shortNames: ['pc'] }),
  resource('coordination.k8s.io/v1', 'Lease', 'leases'),
  resource('discovery.k8s.io/v1', 'EndpointSlice', 'endpointslices'),
];

export const builtinCatalog = new ResourceCatalog(builtinResources);
