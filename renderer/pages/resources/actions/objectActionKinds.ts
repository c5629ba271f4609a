import type { ViewResource } from '../../../../main/host/clusterView/clusterViewContract';

// Which actions each kind offers, as kubectl offers them: scale where /scale exists, rollout
// restart and undo where a controller rolls pods, cordon/drain for nodes, shells for pods and nodes,
// port-forward where something listens.

export type ObjectAction =
  | 'scale'
  | 'restart'
  | 'rollback'
  | 'cordon'
  | 'drain'
  | 'shell'
  | 'nodeShell'
  | 'portForward'
  | 'delete';

const workload: Partial<Record<ViewResource, ObjectAction[]>> = {
  deployments: ['scale', 'restart', 'rollback', 'portForward', 'delete'],
  statefulsets: ['scale', 'restart', 'rollback', 'delete'],
  daemonsets: ['restart', 'rollback', 'delete'],
  replicasets: ['scale', 'delete'],
  pods: ['shell', 'portForward', 'delete'],
  services: ['portForward', 'delete'],
  nodes: ['cordon', 'drain', 'nodeShell'],
};

export function actionsFor(resource: ViewResource): ObjectAction[] {
  return workload[resource] ?? ['delete'];
}

/** `#/terminal?pod=<ns>/<name>` and `#/terminal?node=<name>`, the Terminal page's deep links. */
export function shellLink(resource: ViewResource, name: string, namespace?: string): string {
  return resource === 'nodes'
    ? `#/terminal?node=${encodeURIComponent(name)}`
    : `#/terminal?pod=${encodeURIComponent(namespace ?? 'default')}/${encodeURIComponent(name)}`;
}
