import type {
  KubernetesObject,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Pod,
  V1PodTemplateSpec,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { ComposeError } from '../composeError';
import type { ConvertOptions } from './convertOptions';
import type { KService } from './komposeService';
import { LABEL, selectorLabels } from './labels';
import { annotationsFor } from './metadata';
import type { WarningSink } from './warnings';

// Chooses the workload kind of a service and creates it with an empty pod template; the pod
// spec is filled in afterwards, for every workload of the service alike.

export type WorkloadKind = 'Deployment' | 'DaemonSet' | 'StatefulSet' | 'Pod' | 'CronJob';
export type Workload = V1Deployment | V1DaemonSet | V1StatefulSet | V1Pod | V1CronJob;

const CONTROLLERS: Record<string, WorkloadKind> = {
  deployment: 'Deployment',
  daemonset: 'DaemonSet',
  statefulset: 'StatefulSet',
};

export function workloadKind(
  service: KService,
  options: ConvertOptions,
  warnings: WarningSink,
): WorkloadKind {
  const podLike =
    (service.restart === 'no' || service.restart === 'on-failure') && options.controller === undefined;
  if (podLike) {
    if (!service.labels[LABEL.cronJobSchedule]) return 'Pod';
    warnings.kompose(
      `Create kubernetes pod instead of pod controller due to restart policy: ${service.restart}`,
      service.compose.name,
    );
    return 'CronJob';
  }
  let controller = options.controller;
  if (service.compose.deploy?.mode === 'global') {
    if (!controller) controller = 'daemonset';
    else if (controller !== 'daemonset') {
      warnings.kompose(
        `Global deploy mode service is best converted to daemonset, now it convert to ${controller}`,
        service.compose.name,
      );
    }
  }
  const label = service.labels[LABEL.controllerType];
  if (label !== undefined) {
    if (options.controller) {
      warnings.kompose(
        `Use label ${LABEL.controllerType} type ${label} for service ${service.name}, ignore ${options.controller} flags`,
        service.compose.name,
      );
    }
    controller = label;
  }
  const kind = CONTROLLERS[(controller ?? 'deployment').toLowerCase()];
  if (!kind) {
    throw new ComposeError(
      `unsupported controller ${JSON.stringify(controller)}: use deployment, daemonset or statefulset`,
      {
        keyPath: label !== undefined ? `services.${service.compose.name}.labels` : undefined,
      },
    );
  }
  return kind;
}

export function replicasOf(service: KService, options: ConvertOptions): number {
  return options.replicasFlagSet || service.replicas === 0 ? options.replicas : service.replicas;
}

export function createWorkload(
  kind: WorkloadKind,
  name: string,
  service: KService,
  options: ConvertOptions,
): Workload {
  const annotations = annotationsFor(service, options);
  const meta = {
    name,
    labels: { ...selectorLabels(name), ...(service.compose.deploy?.labels ?? {}) },
    ...(annotations ? { annotations } : {}),
  };
  const template = (): V1PodTemplateSpec => ({ metadata: {}, spec: { containers: [] } });
  const selector = { matchLabels: selectorLabels(name) };
  switch (kind) {
    case 'Pod':
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: selectorLabels(name), ...(annotations ? { annotations } : {}) },
        spec: { containers: [] },
      };
    case 'CronJob':
      return {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta,
        spec: {
          schedule: service.labels[LABEL.cronJobSchedule] as string,
          ...cronPolicy(service),
          jobTemplate: { spec: { ...cronBackoff(service), template: template() } },
        },
      };
    case 'DaemonSet':
      return {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: meta,
        spec: { selector, template: template() },
      };
    case 'StatefulSet':
      return {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: meta,
        spec: {
          replicas: replicasOf(service, options),
          selector,
          serviceName: service.rawName,
          template: template(),
        },
      };
    default: {
      const deployment: V1Deployment = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta,
        spec: {
          replicas: replicasOf(service, options),
          selector,
          template: { metadata: annotations ? { annotations } : {}, spec: { containers: [] } },
        },
      };
      const update = service.compose.deploy?.update_config;
      if (deployment.spec && (update?.order === 'stop-first' || update?.order === 'start-first')) {
        const parallelism = update.parallelism;
        deployment.spec.strategy = {
          type: 'RollingUpdate',
          rollingUpdate:
            update.order === 'stop-first'
              ? {
                  ...(parallelism !== undefined ? { maxUnavailable: parallelism } : {}),
                  maxSurge: 0,
                }
              : {
                  ...(parallelism !== undefined ? { maxSurge: parallelism } : {}),
                  maxUnavailable: 0,
                },
        };
      }
      return deployment;
    }
  }
}

function cronPolicy(service: KService): { concurrencyPolicy?: string } {
  const policy = service.labels[LABEL.cronJobConcurrencyPolicy];
  if (!policy) return {};
  if (!['Allow', 'Forbid', 'Replace'].includes(policy)) {
    throw new ComposeError(`invalid cronjob concurrency policy: ${policy}`, {
      keyPath: `services.${service.compose.name}.labels`,
    });
  }
  return { concurrencyPolicy: policy };
}

function cronBackoff(service: KService): { backoffLimit?: number } {
  const limit = service.labels[LABEL.cronJobBackoffLimit];
  if (limit === undefined || limit === '') return {};
  if (!/^-?\d+$/.test(limit.trim())) {
    throw new ComposeError(`invalid cronjob backoff limit: ${limit}`, {
      keyPath: `services.${service.compose.name}.labels`,
    });
  }
  return { backoffLimit: Number(limit) };
}

/** The pod template of a workload (a Pod is its own template). */
export function podTemplateOf(workload: KubernetesObject): V1PodTemplateSpec | undefined {
  switch (workload.kind) {
    case 'Pod':
      return workload as V1Pod as V1PodTemplateSpec;
    case 'CronJob':
      return (workload as V1CronJob).spec?.jobTemplate.spec?.template;
    case 'Deployment':
    case 'DaemonSet':
    case 'StatefulSet':
      return (workload as V1Deployment).spec?.template;
    default:
      return undefined;
  }
}

export function isWorkload(object: KubernetesObject): object is Workload {
  return ['Pod', 'CronJob', 'Deployment', 'DaemonSet', 'StatefulSet'].includes(object.kind ?? '');
}
