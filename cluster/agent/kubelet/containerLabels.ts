// Docker labels tying node containers to pods, so the agent rebuilds its view from dockerd alone
// after its own or the node's restart, without duplicating containers.
export const labels = {
  podUid: 'io.kubedesk.pod.uid',
  podName: 'io.kubedesk.pod.name',
  podNamespace: 'io.kubedesk.pod.namespace',
  container: 'io.kubedesk.container.name',
  attempt: 'io.kubedesk.container.attempt',
  /** "init", "app" or "infra". */
  kind: 'io.kubedesk.container.kind',
} as const;

export const infraName = 'POD';
