import type { V1Container } from '@kubernetes/client-node';
import type { KService } from './komposeService';
import type { ConversionContext } from './serviceConversion';

// Beyond kompose: `depends_on: {db: {condition: service_healthy}}` becomes an init container that
// waits until db's Service accepts connections. The dependency's health check is also made its
// readiness probe (see convertCompose), so the Service only has endpoints once it is healthy.

export function waitForDependencies(service: KService, ctx: ConversionContext): V1Container[] {
  if (!ctx.options.waitForHealthyDependencies) return [];
  const containers: V1Container[] = [];
  for (const [depName, dep] of Object.entries(service.compose.depends_on)) {
    if (dep.condition !== 'service_healthy') continue;
    const target = ctx.services.get(depName);
    const port = target?.ports[0];
    if (!target || !port) {
      ctx.warnings.dropped(
        service.compose.name,
        `depends_on.${depName}`,
        `cannot be waited for: service ${JSON.stringify(depName)} has no ports, so it has no Kubernetes Service`,
      );
      continue;
    }
    const host = target.rawName;
    const number = port.hostPort || port.containerPort;
    containers.push({
      name: `wait-for-${target.name}`,
      image: ctx.options.waitImage,
      command: ['sh', '-c', `until nc -z ${host} ${number}; do echo waiting for ${host}; sleep 2; done`],
    });
  }
  return containers;
}
