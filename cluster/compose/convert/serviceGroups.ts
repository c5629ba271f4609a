import type {
  KubernetesObject,
  V1Container,
  V1Deployment,
  V1PodSpec,
  V1Volume,
} from '@kubernetes/client-node';
import { ComposeError } from '../composeError';
import { containerEnv, envFileConfigMaps } from './envObjects';
import type { KService } from './komposeService';
import { LABEL, selectorLabels } from './labels';
import { networkLabels, networkPolicies } from './networkPolicies';
import {
  affinity,
  containerSecurity,
  gracePeriod,
  imagePullPolicy,
  podSecurity,
  probe,
  resources,
  restartPolicy,
  topologySpread,
} from './podSpec';
import type { ConversionContext } from './serviceConversion';
import { containerPorts, serviceAndIngress } from './serviceObjects';
import { serviceVolumes } from './volumeObjects';
import { createWorkload, podTemplateOf, workloadKind } from './workloads';

// --service-group-mode: services sharing a `kompose.service.group` label (mode `label`) or an
// identical volume list (mode `volume`) become one workload with one container each.

export function groupServices(services: KService[], mode: 'label' | 'volume'): Map<string, KService[]> {
  const groups = new Map<string, KService[]>();
  for (const service of [...services].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const id =
      mode === 'label'
        ? (service.labels[LABEL.serviceGroup] ?? '')
        : service.volumes.map((v) => `${v.source ?? ''}:${v.target}${v.read_only ? ':ro' : ''}`).join('');
    if (!id) continue;
    groups.set(id, [...(groups.get(id) ?? []), service]);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function convertGroup(id: string, members: KService[], ctx: ConversionContext): KubernetesObject[] {
  const { project, options, warnings } = ctx;
  const name =
    options.serviceGroupMode === 'volume'
      ? options.serviceGroupName || members.map((m) => m.name).join('-')
      : id;
  const usedPorts = new Set<string>();
  const objects: KubernetesObject[] = [];
  const spec: V1PodSpec = { containers: [] };
  const volumeNames = new Set<string>();

  for (const member of members) {
    // In a group the Service keeps the compose service's own (normalised) name.
    const service: KService = { ...member, rawName: member.name };
    for (const port of containerPorts(service)) {
      const key = `${port.containerPort}${port.protocol}`;
      if (usedPorts.has(key)) {
        throw new ComposeError(
          `detect ports conflict when group services, service: ${service.name}, port: ${port.containerPort}`,
        );
      }
      usedPorts.add(key);
    }
    warnings.kompose(`Group Service ${service.name} to [${name}]`, service.compose.name);
    const { env, envFrom } = containerEnv(service, project, options);
    const container: V1Container = { name: service.containerName, image: service.image };
    if (env.length > 0) container.env = env;
    if (envFrom.length > 0) container.envFrom = envFrom;
    if (service.compose.entrypoint) container.command = service.compose.entrypoint;
    if (service.compose.command) container.args = service.compose.command;
    if (service.compose.working_dir) container.workingDir = service.compose.working_dir;
    if (service.compose.stdin_open) container.stdin = true;
    if (service.compose.tty) container.tty = true;
    const liveness = probe(service.liveness, service, warnings);
    const readiness = probe(service.readiness, service, warnings);
    if (liveness) container.livenessProbe = liveness;
    if (readiness) container.readinessProbe = readiness;
    spec.containers.push(container);
    const pullSecret = service.labels[LABEL.imagePullSecret];
    if (pullSecret) spec.imagePullSecrets = [...(spec.imagePullSecrets ?? []), { name: pullSecret }];
    setOrKeep(spec, 'affinity', affinity(service));

    const kind = workloadKind(service, options, warnings);
    objects.push(
      createWorkload(kind, name, service, options),
      ...envFileConfigMaps(service, name, project, options),
    );
    objects.push(...serviceAndIngress(service, name, options, warnings));

    const volumes = serviceVolumes(service, name, project, options, warnings);
    for (const target of spec.containers) {
      const mounted = new Set((target.volumeMounts ?? []).map((m) => m.mountPath));
      const added = volumes.mounts.filter((m) => !mounted.has(m.mountPath));
      if (added.length > 0) target.volumeMounts = [...(target.volumeMounts ?? []), ...added];
    }
    const newVolumes = volumes.volumes.filter(
      (v: V1Volume) => !volumeNames.has(v.name) && volumeNames.add(v.name),
    );
    if (newVolumes.length > 0) spec.volumes = [...(spec.volumes ?? []), ...newVolumes];
    objects.push(...volumes.claims, ...volumes.configMaps);

    const ports = containerPorts(service);
    const policy = imagePullPolicy(service);
    for (const target of spec.containers) {
      if (target.name === service.containerName && ports.length > 0) target.ports = ports;
      if (policy) target.imagePullPolicy = policy;
    }
    spec.restartPolicy = restartPolicy(service);
    const security = containerSecurity(service, warnings);
    if (security) container.securityContext = security;
    setOrKeep(spec, 'securityContext', podSecurity(service, warnings));
    setOrKeep(spec, 'hostname', service.compose.hostname);
    setOrKeep(spec, 'subdomain', service.compose.domainname);
    // In a group kompose sets cpu and memory on every container, but not ephemeral storage.
    const limits = resources({ ...service, compose: { ...service.compose, deploy: undefined } });
    if (limits) for (const target of spec.containers) target.resources = limits;
    setOrKeep(spec, 'terminationGracePeriodSeconds', gracePeriod(service, warnings));
    spec.topologySpreadConstraints = topologySpread(service, warnings);
    setOrKeep(spec, 'serviceAccountName', service.labels[LABEL.serviceAccountName]);

    for (const object of objects) {
      const template = podTemplateOf(object);
      if (!template) continue;
      template.metadata = {
        ...template.metadata,
        labels: options.generateNetworkPolicies
          ? networkLabels(name, service.networks)
          : selectorLabels(name),
      };
      template.spec = spec;
      if (service.volumes.length > 0 && object.kind === 'Deployment') {
        const deploymentSpec = (object as V1Deployment).spec;
        if (deploymentSpec) deploymentSpec.strategy = { type: 'Recreate' };
      }
    }
    if (options.generateNetworkPolicies) objects.push(...networkPolicies(service, warnings));
  }
  return objects;
}

function setOrKeep<K extends keyof V1PodSpec>(
  spec: V1PodSpec,
  key: K,
  value: V1PodSpec[K] | undefined,
): void {
  if (value !== undefined && value !== '') spec[key] = value;
}
