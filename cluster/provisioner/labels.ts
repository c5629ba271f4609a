// Cluster state lives in container, volume and network labels; there is no second node database.

export const labelKeys = {
  cluster: 'kubedesk.io/cluster',
  role: 'kubedesk.io/role',
  nodeIndex: 'kubedesk.io/node-index',
  podCidr: 'kubedesk.io/pod-cidr',
  nodeIp: 'kubedesk.io/node-ip',
  volume: 'kubedesk.io/volume',
  /** Set on the container by the provider: which security mode it was created with. */
  mode: 'kubedesk.io/security-mode',
  /** Full recipe hash on node images. */
  recipe: 'kubedesk.io/node-image-recipe',
} as const;

export const roles = { node: 'node', nodeImage: 'node-image', network: 'network', volume: 'volume' } as const;
