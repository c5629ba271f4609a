import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  KubernetesObjectApi,
  type PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { loadKubeConfig } from '../../../cluster/kubeconfig/loadKubeConfig';

// The official client pointed at the admin kubeconfig: every action reaches the in-process API
// server over HTTPS exactly as kubectl's does, so authentication, validation, admission and the
// scale and eviction subresources all apply.

export interface KubeApis {
  config: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  objects: KubernetesObjectApi;
}

export function openKubeApis(kubeconfigPath: string): KubeApis {
  const config = loadKubeConfig(kubeconfigPath);
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    objects: KubernetesObjectApi.makeApiClient(config),
  };
}

/** Request options that send a patch body as the given patch type. */
export const patchAs = (strategy: PatchStrategy) => setHeaderOptions('Content-Type', strategy);
