// The sidebar's pages, in order. `ready: false` pages say plainly that they are not built yet.

export interface PageInfo {
  id: string;
  title: string;
  /** What the page will hold, shown while it is not built yet. */
  purpose: string;
}

export const pages: PageInfo[] = [
  {
    id: 'dashboard',
    title: 'Dashboard',
    purpose: 'Cluster status, node cards, workload health and recent warnings.',
  },
  {
    id: 'workloads',
    title: 'Workloads',
    purpose: 'Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs.',
  },
  { id: 'services', title: 'Services', purpose: 'Services, Endpoints, Ingresses and NetworkPolicies.' },
  {
    id: 'config',
    title: 'Config & Storage',
    purpose: 'ConfigMaps, Secrets, PersistentVolumeClaims, PersistentVolumes and StorageClasses.',
  },
  { id: 'nodes', title: 'Nodes', purpose: 'The nodes of the cluster, their capacity and conditions.' },
  { id: 'events', title: 'Events', purpose: 'What happened in the cluster, newest first.' },
  { id: 'namespaces', title: 'Namespaces', purpose: 'The namespaces of the cluster and their state.' },
  {
    id: 'compose',
    title: 'Compose import',
    purpose: 'Turn docker-compose files into Kubernetes objects and deploy them.',
  },
  {
    id: 'terminal',
    title: 'Terminal',
    purpose: 'A shell with kubectl pointed at this cluster, and shells into pods and nodes.',
  },
  { id: 'settings', title: 'Settings', purpose: 'Kubernetes and node settings.' },
];

/** The page a hash names (`#/terminal?pod=…` is the Terminal page); the Dashboard otherwise. */
export function pageFromHash(hash: string): PageInfo {
  const id = hash.replace(/^#\/?/, '').split('?')[0];
  return pages.find((page) => page.id === id) ?? (pages[0] as PageInfo);
}

/** The query part of a hash, e.g. `pod=default/web&container=app` of `#/terminal?pod=…`. */
export function hashQuery(hash: string): URLSearchParams {
  const index = hash.indexOf('?');
  return new URLSearchParams(index < 0 ? '' : hash.slice(index + 1));
}
