import type { KubernetesObject, V1Namespace } from '@kubernetes/client-node';
import type { ComposeProject } from '../types';
import { projectSecrets } from './configObjects';
import { type ConvertOptions, defaultConvertOptions } from './convertOptions';
import { reportDroppedKeys } from './droppedKeys';
import { type KService, toKService } from './komposeService';
import { mergeNetworkModeContainers } from './networkMode';
import { type ConversionContext, convertService } from './serviceConversion';
import { convertGroup, groupServices } from './serviceGroups';
import { type ConversionWarning, WarningSink } from './warnings';

// Compose project → Kubernetes objects, following kompose's rules and output order
// (https://github.com/kubernetes/kompose, pkg/transformer/kubernetes).

export interface ConversionResult {
  objects: KubernetesObject[];
  warnings: ConversionWarning[];
}

export function convertCompose(
  project: ComposeProject,
  options: Partial<ConvertOptions> = {},
): ConversionResult {
  const opts = defaultConvertOptions(options);
  const warnings = new WarningSink();
  for (const warning of project.warnings) {
    warnings.kompose(warning.message, undefined, warning.keyPath);
  }
  if (Object.keys(project.services).length === 0) {
    warnings.kompose(
      'No service selected. The profile specified in services of your compose yaml may not exist.',
    );
  }
  const services = new Map<string, KService>();
  for (const name of Object.keys(project.services).sort()) {
    const compose = project.services[name];
    if (!compose) continue;
    services.set(name, toKService(compose, project, warnings));
    reportDroppedKeys(compose, warnings, opts.waitForHealthyDependencies);
  }
  healthChecksAsReadiness(services, opts);
  const ctx: ConversionContext = { project, options: opts, warnings, services };

  const objects: KubernetesObject[] = [...projectSecrets(project, opts, warnings)];
  if (opts.namespace) {
    const namespace: V1Namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: opts.namespace },
    };
    objects.push(namespace);
  }
  const grouped = new Set<KService>();
  if (opts.serviceGroupMode) {
    for (const [id, members] of groupServices([...services.values()], opts.serviceGroupMode)) {
      for (const member of members) grouped.add(member);
      objects.push(...convertGroup(id, members, ctx));
    }
  }
  for (const service of [...services.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )) {
    if (!grouped.has(service)) objects.push(...convertService(service, ctx));
  }
  let result = dedupe(servicesFirst(objects));
  if (opts.namespace) {
    for (const object of result) object.metadata = { ...object.metadata, namespace: opts.namespace };
  }
  result = mergeNetworkModeContainers(result, [...services.values()]);
  return { objects: result, warnings: warnings.list };
}

// A dependency others wait for with `condition: service_healthy` is ready only when healthy.
function healthChecksAsReadiness(services: Map<string, KService>, options: ConvertOptions): void {
  if (!options.waitForHealthyDependencies) return;
  for (const service of services.values()) {
    for (const [depName, dep] of Object.entries(service.compose.depends_on)) {
      const target = services.get(depName);
      if (dep.condition === 'service_healthy' && target?.liveness && !target.readiness?.test.length) {
        const { httpPath, httpPort, tcpPort } = target.readiness ?? {};
        if (!httpPath && !httpPort && !tcpPort) target.readiness = target.liveness;
      }
    }
  }
}

function servicesFirst(objects: KubernetesObject[]): KubernetesObject[] {
  return [...objects.filter((o) => o.kind === 'Service'), ...objects.filter((o) => o.kind !== 'Service')];
}

function dedupe(objects: KubernetesObject[]): KubernetesObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const key = `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
