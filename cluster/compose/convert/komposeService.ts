import { ComposeError } from '../composeError';
import { shellSplit } from '../shellSplit';
import type { ComposeProject, ComposeService, ComposeVolumeMount } from '../types';
import { durationSeconds } from '../units';
import { LABEL } from './labels';
import type { WarningSink } from './warnings';

// A compose service seen the way kompose's transformer sees it: names normalised, kompose.* labels
// read, restart policy and health checks decided. Every object builder works from this.

export interface Probe {
  test: string[];
  httpPath?: string;
  httpPort?: number;
  tcpPort?: number;
  timeout: number;
  interval: number;
  retries: number;
  startPeriod: number;
}

export interface PortMapping {
  containerPort: number;
  /** 0 when not published (or published as a range). */
  hostPort: number;
  hostIp?: string;
  /** Upper case, as Kubernetes spells it. */
  protocol: string;
}

export interface KService {
  compose: ComposeService;
  /** Normalised name used for workloads, labels and selectors (`front_end` → `front-end`). */
  name: string;
  /** Lower-cased compose name, which kompose keeps for Service names and container names. */
  rawName: string;
  containerName: string;
  image: string;
  labels: Record<string, string>;
  restart: string;
  serviceType: string;
  externalTrafficPolicy: string;
  ports: PortMapping[];
  volumes: ComposeVolumeMount[];
  liveness?: Probe;
  readiness?: Probe;
  replicas: number;
  memLimit: number;
  memReservation: number;
  cpuLimitMilli: number;
  cpuReservationMilli: number;
  groupAdd: number[];
  networks: string[];
  placement: { positive: [string, string][]; negative: [string, string][]; preferences: string[] };
}

export function normalizeServiceName(name: string): string {
  return name.replace(/[._]/g, '-').toLowerCase();
}

/** kompose's name for Secrets, claims and the like: `my_secret` → `my-secret`. */
export function resourceName(name: string): string {
  return name.replace(/_/g, '-').toLowerCase();
}

export function normalizeNetworkName(name: string): string {
  return name
    .replace(/_/g, '-')
    .toLowerCase()
    .replace(/[^A-Za-z0-9.-]+/g, '');
}

export function toKService(
  service: ComposeService,
  project: ComposeProject,
  warnings: WarningSink,
): KService {
  const labels = service.labels;
  const override = labels[LABEL.nameOverride];
  const rawName = (override ?? service.name).toLowerCase();
  const name = normalizeServiceName(rawName);
  const where = (key: string) => ({ keyPath: `services.${service.name}.${key}` });
  if (name !== rawName)
    warnings.kompose(
      `Service name in docker-compose has been changed from "${rawName}" to "${name}"`,
      service.name,
    );

  let restart = service.deploy?.restart_policy?.condition ?? service.restart ?? '';
  if (restart === 'unless-stopped') {
    warnings.kompose(
      `Restart policy 'unless-stopped' in service ${rawName} is not supported, convert it to 'always'`,
      service.name,
      'restart',
    );
    restart = 'always';
  }
  if (restart === 'always' && labels[LABEL.cronJobConcurrencyPolicy]) {
    warnings.kompose(
      `cronjob restart policy will be converted from '${restart}' to 'on-failure'`,
      service.name,
    );
    restart = 'on-failure';
  }

  const serviceType = serviceTypeOf(
    labels[LABEL.serviceType],
    service.deploy?.endpoint_mode,
    where('labels'),
  );
  const nodePort = labels[LABEL.nodePortPort];
  if (nodePort && serviceType !== 'NodePort') {
    throw new ComposeError(
      'kompose.service.type must be nodeport when assign node port value',
      where('labels'),
    );
  }
  if (!labels[LABEL.serviceExpose]?.trim()) {
    for (const label of [LABEL.serviceExposeTlsSecret, LABEL.serviceExposeIngressClassName]) {
      if (labels[label])
        throw new ComposeError(`${label} was specified without kompose.service.expose`, where('labels'));
    }
  }

  const limits = service.deploy?.resources.limits;
  const reservations = service.deploy?.resources.reservations;
  const groupAdd = service.group_add.map((g) => {
    if (!/^\d+$/.test(g))
      throw new ComposeError('group_add should be a numeric gid, not a group name', where('group_add'));
    return Number(g);
  });

  return {
    compose: service,
    name,
    rawName,
    containerName: (service.container_name?.toLowerCase() ?? rawName).replace(/_/g, '-'),
    image: service.image ?? name,
    labels,
    restart,
    serviceType,
    externalTrafficPolicy: trafficPolicyOf(labels[LABEL.serviceExternalTrafficPolicy], where('labels')),
    ports: portMappings(service),
    volumes: service.volumes,
    liveness:
      service.healthcheck && !service.healthcheck.disable ? livenessProbe(service, labels) : undefined,
    readiness: readinessProbe(labels, where('labels')),
    replicas: service.deploy?.replicas ?? 0,
    // deploy.resources wins; the service-level keys (which kompose ignores, but for mem_limit) fill in.
    memLimit: limits?.memory ?? service.mem_limit ?? 0,
    memReservation: reservations?.memory ?? service.mem_reservation ?? 0,
    cpuLimitMilli: Math.round((limits?.cpus ?? service.cpus ?? 0) * 1000),
    cpuReservationMilli: Math.round((reservations?.cpus ?? 0) * 1000),
    groupAdd,
    networks: networksOf(service, project),
    placement: placementOf(service, warnings),
  };
}

function serviceTypeOf(
  label: string | undefined,
  endpointMode: string | undefined,
  where: { keyPath: string },
): string {
  if (label === undefined) return endpointMode === 'vip' ? 'NodePort' : '';
  const types: Record<string, string> = {
    '': 'ClusterIP',
    clusterip: 'ClusterIP',
    nodeport: 'NodePort',
    loadbalancer: 'LoadBalancer',
    headless: 'Headless',
  };
  const type = types[label.toLowerCase()];
  if (type === undefined) {
    throw new ComposeError(
      `unknown value ${label} for kompose.service.type, supported values are 'nodeport, clusterip, headless or loadbalancer'`,
      where,
    );
  }
  return type;
}

function trafficPolicyOf(label: string | undefined, where: { keyPath: string }): string {
  if (label === undefined) return '';
  const policy = { '': 'Cluster', cluster: 'Cluster', local: 'Local' }[label.toLowerCase()];
  if (policy === undefined) {
    throw new ComposeError(
      `unknown value ${label} for kompose.service.external-traffic-policy, supported values are 'local, cluster'`,
      where,
    );
  }
  return policy;
}

function portMappings(service: ComposeService): PortMapping[] {
  const ports: PortMapping[] = service.ports.map((p) => ({
    containerPort: p.target,
    hostPort: p.published && /^\d+$/.test(p.published) ? Number(p.published) : 0,
    hostIp: p.host_ip,
    protocol: p.protocol.toUpperCase(),
  }));
  const seen = new Set(ports.map((p) => `${p.containerPort}/${p.protocol}`));
  for (const entry of service.expose) {
    const [port = '', protocol = 'tcp'] = entry.split('/');
    for (const containerPort of expandRange(port)) {
      const key = `${containerPort}/${protocol.toUpperCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ports.push({ containerPort, hostPort: 0, protocol: protocol.toUpperCase() });
    }
  }
  return ports;
}

function expandRange(text: string): number[] {
  const [start = 0, end = start] = text.split('-').map(Number);
  return Array.from({ length: Math.max(end - start + 1, 1) }, (_, i) => start + i);
}

function livenessProbe(service: ComposeService, labels: Record<string, string>): Probe {
  const hc = service.healthcheck;
  return {
    test: hc?.test?.slice(1) ?? [],
    httpPath: labels[LABEL.livenessHttpGetPath],
    httpPort: intLabel(labels[LABEL.livenessHttpGetPort]),
    tcpPort: intLabel(labels[LABEL.livenessTcpPort]),
    timeout: hc?.timeout ? durationSeconds(hc.timeout) : 0,
    interval: hc?.interval ? durationSeconds(hc.interval) : 0,
    retries: hc?.retries ?? 0,
    startPeriod: hc?.start_period ? durationSeconds(hc.start_period) : 0,
  };
}

function readinessProbe(labels: Record<string, string>, where: { keyPath: string }): Probe | undefined {
  const testLabel = labels[LABEL.readinessTest];
  let test = testLabel ? shellSplit(testLabel) : [];
  let disable = /^(1|t|true)$/i.test(labels[LABEL.readinessDisable] ?? '');
  if (test[0] === 'NONE') {
    disable = true;
    test = test.slice(1);
  }
  if (test[0] === 'CMD' || test[0] === 'CMD-SHELL') test = test.slice(1);
  if (disable) return undefined;
  const seconds = (label: string) => {
    const value = labels[label];
    if (!value) return 0;
    try {
      return durationSeconds(value);
    } catch (err) {
      throw new ComposeError(`unable to parse ${label}: ${(err as Error).message}`, where);
    }
  };
  return {
    test,
    httpPath: labels[LABEL.readinessHttpGetPath],
    httpPort: intLabel(labels[LABEL.readinessHttpGetPort]),
    tcpPort: intLabel(labels[LABEL.readinessTcpPort]),
    timeout: seconds(LABEL.readinessTimeout),
    interval: seconds(LABEL.readinessInterval),
    retries: intLabel(labels[LABEL.readinessRetries]) ?? 0,
    startPeriod: seconds(LABEL.readinessStartPeriod),
  };
}

function intLabel(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

function networksOf(service: ComposeService, project: ComposeProject): string[] {
  const keys =
    service.networks.length > 0 ? [...service.networks].sort() : project.networks.default ? ['default'] : [];
  return keys.map((key) => normalizeNetworkName(project.networks[key]?.name || key));
}

const DOCKER_LABELS: Record<string, string> = {
  'node.hostname': 'kubernetes.io/hostname',
  'engine.labels.operatingsystem': 'kubernetes.io/os',
};

function dockerLabel(label: string): string | undefined {
  if (DOCKER_LABELS[label]) return DOCKER_LABELS[label];
  return label.startsWith('node.labels.') ? label.slice('node.labels.'.length) : undefined;
}

function placementOf(service: ComposeService, warnings: WarningSink): KService['placement'] {
  const positive: [string, string][] = [];
  const negative: [string, string][] = [];
  const preferences: string[] = [];
  const unsupported = (label: string) =>
    `${label} is not supported, only 'node.hostname', 'engine.labels.operatingsystem' and 'node.labels.xxx' (ex: node.labels.something == anything) is supported`;
  for (const constraint of service.deploy?.placement.constraints ?? []) {
    const operator = constraint.includes(' != ') ? ' != ' : ' == ';
    const [left, right] = constraint.split(operator);
    if (right === undefined || left === undefined) {
      warnings.kompose(
        `Failed to parse placement constraints ${constraint}, the correct format is 'label == xxx'`,
        service.name,
      );
      continue;
    }
    const key = dockerLabel(left);
    if (!key) {
      warnings.kompose(
        `Ignore placement constraints: ${unsupported(left)}`,
        service.name,
        'deploy.placement.constraints',
      );
      continue;
    }
    const target = operator === ' == ' ? positive : negative;
    const existing = target.findIndex(([k]) => k === key);
    if (existing >= 0) target.splice(existing, 1);
    target.push([key, right]);
  }
  for (const spread of service.deploy?.placement.preferences ?? []) {
    const key = dockerLabel(spread);
    if (!key) {
      warnings.kompose(
        `Ignore placement preferences: ${unsupported(spread)}`,
        service.name,
        'deploy.placement.preferences',
      );
      continue;
    }
    preferences.push(key);
  }
  return { positive, negative, preferences };
}
