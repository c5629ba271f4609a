import type {
  KubernetesObject,
  V1Container,
  V1Deployment,
  V1PersistentVolumeClaim,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { ComposeProject } from '../types';
import { autoscaler } from './autoscaler';
import { configConfigMaps, configMounts } from './configObjects';
import type { ConvertOptions } from './convertOptions';
import { containerEnv, envFileConfigMaps } from './envObjects';
import type { KService } from './komposeService';
import { selectorLabels } from './labels';
import { networkLabels, networkPolicies } from './networkPolicies';
import {
  containerArgs,
  containerSecurity,
  imagePullPolicy,
  labelInitContainers,
  podBasics,
  probe,
  resources,
} from './podSpec';
import { containerPorts, serviceAndIngress } from './serviceObjects';
import { serviceVolumes } from './volumeObjects';
import { waitForDependencies } from './waitForDependencies';
import type { WarningSink } from './warnings';
import { createWorkload, podTemplateOf, type Workload, workloadKind } from './workloads';

// All objects of one compose service converted on its own (not in a service group).

export interface ConversionContext {
  project: ComposeProject;
  options: ConvertOptions;
  warnings: WarningSink;
  services: Map<string, KService>;
}

export function convertService(service: KService, ctx: ConversionContext): KubernetesObject[] {
  const { project, options, warnings } = ctx;
  const name = service.name;
  const kind = workloadKind(service, options, warnings);
  const objects: KubernetesObject[] = [];
  const withConfigs = kind === 'Deployment' || kind === 'StatefulSet';
  if (withConfigs) objects.push(...configConfigMaps(service, name, project, options, warnings));
  const workload = createWorkload(kind, name, service, options);
  objects.push(workload, ...envFileConfigMaps(service, name, project, options));

  const exposed = options.controller === 'statefulset' ? { ...service, serviceType: 'Headless' } : service;
  objects.push(...serviceAndIngress(exposed, name, options, warnings));

  const volumes = serviceVolumes(service, name, project, options, warnings);
  const isStatefulSetFlag = options.controller === 'statefulset';
  if (!isStatefulSetFlag) objects.push(...volumes.claims);
  objects.push(...volumes.configMaps);

  const configs = withConfigs ? configMounts(service, project, warnings) : { mounts: [], volumes: [] };
  const { env, envFrom } = containerEnv(service, project, options);
  const container: V1Container = { name: service.containerName, image: service.image };
  const set = <K extends keyof V1Container>(key: K, value: V1Container[K] | undefined) => {
    if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0))
      container[key] = value;
  };
  set('env', env);
  set('envFrom', envFrom);
  set('command', service.compose.entrypoint);
  set('args', containerArgs(service.compose.command));
  set('workingDir', service.compose.working_dir);
  set('volumeMounts', [...configs.mounts, ...volumes.mounts]);
  if (service.compose.stdin_open) container.stdin = true;
  if (service.compose.tty) container.tty = true;
  set('ports', containerPorts(service));
  set('livenessProbe', probe(service.liveness, service, warnings));
  set('readinessProbe', probe(service.readiness, service, warnings));
  set('resources', resources(service));
  set('securityContext', containerSecurity(service, warnings));
  set('imagePullPolicy', imagePullPolicy(service));

  const template = podTemplateOf(workload);
  if (template) {
    const podVolumes = [
      ...configs.volumes,
      ...(!isStatefulSetFlag || options.volumes === 'configMap' ? volumes.volumes : []),
    ];
    const initContainers = [...labelInitContainers(service), ...waitForDependencies(service, ctx)];
    template.metadata = {
      ...template.metadata,
      labels: options.generateNetworkPolicies ? networkLabels(name, service.networks) : selectorLabels(name),
    };
    template.spec = {
      ...podBasics(service, warnings),
      containers: [container],
      ...(podVolumes.length > 0 ? { volumes: podVolumes } : {}),
      ...(initContainers.length > 0 ? { initContainers } : {}),
    };
  }
  if (service.volumes.length > 0) applyVolumeStrategy(workload, volumes.claims, options);
  if (options.generateNetworkPolicies) objects.push(...networkPolicies(service, warnings));
  const hpa = autoscaler(service, name, warnings);
  if (hpa) objects.push(hpa);
  return objects;
}

// Pods of a service with volumes must not overlap during a rollout; a StatefulSet claims its own.
function applyVolumeStrategy(
  workload: Workload,
  claims: V1PersistentVolumeClaim[],
  options: ConvertOptions,
): void {
  if (workload.kind === 'Deployment') {
    const spec = (workload as V1Deployment).spec;
    if (spec) spec.strategy = { type: 'Recreate' };
  } else if (workload.kind === 'StatefulSet' && options.volumes !== 'configMap') {
    const spec = (workload as V1StatefulSet).spec;
    if (spec) spec.volumeClaimTemplates = claims.map(({ apiVersion: _a, kind: _k, ...claim }) => claim);
  }
}
