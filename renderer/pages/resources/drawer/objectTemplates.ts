import type { ViewResource } from '../../../../main/host/clusterView/clusterViewContract';
import { viewResources } from '../../../../main/host/clusterView/viewResources';

// Starting points for "Create": the smallest object of each kind the API server accepts, in the
// namespace the page shows, for a person to fill in.

const workloadSpec = (indent: string) =>
  [
    'selector:',
    '  matchLabels:',
    '    app: example',
    'template:',
    '  metadata:',
    '    labels:',
    '      app: example',
    '  spec:',
    '    containers:',
    '      - name: app',
    '        image: nginx:1.27',
  ]
    .map((line) => `${indent}${line}`)
    .join('\n');

const bodies: Partial<Record<ViewResource, string>> = {
  pods: 'spec:\n  containers:\n    - name: app\n      image: nginx:1.27\n',
  deployments: `spec:\n  replicas: 1\n${workloadSpec('  ')}\n`,
  statefulsets: `spec:\n  replicas: 1\n  serviceName: example\n${workloadSpec('  ')}\n`,
  daemonsets: `spec:\n${workloadSpec('  ')}\n`,
  replicasets: `spec:\n  replicas: 1\n${workloadSpec('  ')}\n`,
  jobs: 'spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: app\n          image: busybox:1.36\n          command: ["echo", "hello"]\n',
  cronjobs:
    'spec:\n  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: app\n              image: busybox:1.36\n              command: ["echo", "hello"]\n',
  services: 'spec:\n  selector:\n    app: example\n  ports:\n    - port: 80\n      targetPort: 80\n',
  configmaps: 'data:\n  key: value\n',
  secrets: 'type: Opaque\nstringData:\n  key: value\n',
  persistentvolumeclaims:
    'spec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n',
  ingresses:
    'spec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: example\n                port:\n                  number: 80\n',
  networkpolicies: 'spec:\n  podSelector:\n    matchLabels:\n      app: example\n  policyTypes: [Ingress]\n',
};

const clusterScoped = new Set<ViewResource>(['nodes', 'namespaces', 'persistentvolumes', 'storageclasses']);

export function objectTemplate(resource: ViewResource, namespace: string | undefined): string {
  const { group, version, kind } = viewResources[resource];
  const apiVersion = group ? `${group}/${version}` : version;
  const ns = !clusterScoped.has(resource) && namespace ? `\n  namespace: ${namespace}` : '';
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: example${ns}\n${bodies[resource] ?? ''}`;
}
