import { KubeConfig } from '@kubernetes/client-node';

// The one way host-side clients read a kubeconfig the control plane wrote (its current context: one
// cluster, one user with embedded certificates). Each keeps its own transport: client-node's API
// classes, or its own HTTPS, WebSocket or SPDY requests with the TLS options this config gives.

export function loadKubeConfig(path: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(path);
  return config;
}
