// The compose labels kompose reads to steer conversion.
// https://kompose.io/user-guide/#labels

export const LABEL = {
  serviceType: 'kompose.service.type',
  serviceExternalTrafficPolicy: 'kompose.service.external-traffic-policy',
  serviceGroup: 'kompose.service.group',
  nodePortPort: 'kompose.service.nodeport.port',
  serviceExpose: 'kompose.service.expose',
  serviceExposeTlsSecret: 'kompose.service.expose.tls-secret',
  serviceExposeIngressClassName: 'kompose.service.expose.ingress-class-name',
  serviceAccountName: 'kompose.serviceaccount-name',
  controllerType: 'kompose.controller.type',
  imagePullSecret: 'kompose.image-pull-secret',
  imagePullPolicy: 'kompose.image-pull-policy',
  readinessDisable: 'kompose.service.healthcheck.readiness.disable',
  readinessTest: 'kompose.service.healthcheck.readiness.test',
  readinessInterval: 'kompose.service.healthcheck.readiness.interval',
  readinessTimeout: 'kompose.service.healthcheck.readiness.timeout',
  readinessRetries: 'kompose.service.healthcheck.readiness.retries',
  readinessStartPeriod: 'kompose.service.healthcheck.readiness.start_period',
  readinessHttpGetPath: 'kompose.service.healthcheck.readiness.http_get_path',
  readinessHttpGetPort: 'kompose.service.healthcheck.readiness.http_get_port',
  readinessTcpPort: 'kompose.service.healthcheck.readiness.tcp_port',
  livenessHttpGetPath: 'kompose.service.healthcheck.liveness.http_get_path',
  livenessHttpGetPort: 'kompose.service.healthcheck.liveness.http_get_port',
  livenessTcpPort: 'kompose.service.healthcheck.liveness.tcp_port',
  fsGroup: 'kompose.security-context.fsgroup',
  volumeSubpath: 'kompose.volume.subpath',
  volumeType: 'kompose.volume.type',
  volumeSize: 'kompose.volume.size',
  volumeSelector: 'kompose.volume.selector',
  volumeStorageClassName: 'kompose.volume.storage-class-name',
  cronJobSchedule: 'kompose.cronjob.schedule',
  cronJobConcurrencyPolicy: 'kompose.cronjob.concurrency_policy',
  cronJobBackoffLimit: 'kompose.cronjob.backoff_limit',
  initContainerName: 'kompose.init.containers.name',
  initContainerImage: 'kompose.init.containers.image',
  initContainerCommand: 'kompose.init.containers.command',
  hpaMinReplicas: 'kompose.hpa.replicas.min',
  hpaMaxReplicas: 'kompose.hpa.replicas.max',
  hpaCpu: 'kompose.hpa.cpu',
  hpaMemory: 'kompose.hpa.memory',
  nameOverride: 'kompose.service.name_override',
  exposeContainerToHost: 'kompose.controller.port.expose',
  ephemeralStorageRequest: 'kompose.ephemeral-storage.request',
  ephemeralStorageLimit: 'kompose.ephemeral-storage.limit',
} as const;

export const SELECTOR = 'io.kompose.service';

export function selectorLabels(name: string): Record<string, string> {
  return { [SELECTOR]: name };
}
