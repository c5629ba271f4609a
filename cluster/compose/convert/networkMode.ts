import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { KService } from './komposeService';

// `network_mode: service:x` shares x's network namespace; in Kubernetes that means being a
// container of x's pod, so the service's containers move into x's Deployment.

export function mergeNetworkModeContainers(
  objects: KubernetesObject[],
  services: KService[],
): KubernetesObject[] {
  const deployments = new Map(
    objects.filter((o): o is V1Deployment => o.kind === 'Deployment').map((d) => [d.metadata?.name ?? '', d]),
  );
  const moved = new Set<KubernetesObject>();
  for (const service of services) {
    const mode = service.compose.network_mode;
    if (!mode?.startsWith('service:')) continue;
    const source = deployments.get(service.rawName);
    const target = deployments.get(mode.slice('service:'.length));
    const targetSpec = target?.spec?.template.spec;
    if (!source || !targetSpec || source === target) continue;
    targetSpec.containers = [...targetSpec.containers, ...(source.spec?.template.spec?.containers ?? [])];
    moved.add(source);
  }
  return objects.filter((o) => !moved.has(o));
}
