import type {
  V1Affinity,
  V1Container,
  V1PodSecurityContext,
  V1PodSpec,
  V1Probe,
  V1ResourceRequirements,
  V1SecurityContext,
  V1TopologySpreadConstraint,
} from '@kubernetes/client-node';
import { ComposeError } from '../composeError';
import { durationSeconds } from '../units';
import type { KService, Probe } from './komposeService';
import { LABEL, selectorLabels } from './labels';
import { decimalExponent, milliQuantity } from './quantity';
import type { WarningSink } from './warnings';

// The container and pod-level settings kompose derives from one compose service.

export function containerArgs(command: string[] | undefined): string[] | undefined {
  // `$VAR` → `$(VAR)`: Kubernetes expands variables in args from the container's env.
  return command?.map((arg) => arg.replace(/\$([a-zA-Z0-9]*)/g, '$($1)'));
}

export function probe(
  check: Probe | undefined,
  service: KService,
  warnings: WarningSink,
): V1Probe | undefined {
  if (!check) return undefined;
  const empty =
    check.test.length === 0 &&
    !check.httpPath &&
    !check.httpPort &&
    !check.tcpPort &&
    !check.timeout &&
    !check.interval &&
    !check.retries &&
    !check.startPeriod;
  if (empty) return undefined;
  const out: V1Probe = {};
  if (check.test.length > 0) out.exec = { command: check.test };
  else if (check.httpPath && check.httpPort) out.httpGet = { path: check.httpPath, port: check.httpPort };
  else if (check.tcpPort) out.tcpSocket = { port: check.tcpPort };
  else {
    warnings.kompose('Health check must contain a command', service.compose.name, 'healthcheck');
    return undefined;
  }
  if (check.timeout) out.timeoutSeconds = check.timeout;
  if (check.interval) out.periodSeconds = check.interval;
  if (check.retries) out.failureThreshold = check.retries;
  if (check.startPeriod) out.initialDelaySeconds = check.startPeriod;
  return out;
}

export function resources(service: KService): V1ResourceRequirements | undefined {
  const deployLabels = service.compose.deploy?.labels ?? {};
  const build = (memory: number, cpuMilli: number, ephemeral: string | undefined) => {
    if (!memory && !cpuMilli && !ephemeral) return undefined;
    const list: Record<string, string> = {};
    if (memory) list.memory = decimalExponent(memory);
    if (cpuMilli) list.cpu = milliQuantity(cpuMilli);
    if (ephemeral) list['ephemeral-storage'] = ephemeral;
    return list;
  };
  const limits = build(service.memLimit, service.cpuLimitMilli, deployLabels[LABEL.ephemeralStorageLimit]);
  const requests = build(
    service.memReservation,
    service.cpuReservationMilli,
    deployLabels[LABEL.ephemeralStorageRequest],
  );
  if (!limits && !requests) return undefined;
  return { ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) };
}

export function containerSecurity(service: KService, warnings: WarningSink): V1SecurityContext | undefined {
  const compose = service.compose;
  const out: V1SecurityContext = {};
  if (compose.privileged) out.privileged = true;
  if (compose.user) {
    const parts = compose.user.split(':');
    const numeric = (text: string | undefined) =>
      text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;
    if (parts.length > 2) {
      warnings.kompose(
        'Ignoring ill-formed user directive. Must be in format UID or UID:GID.',
        compose.name,
        'user',
      );
    } else {
      const uid = numeric(parts[0]);
      if (uid === undefined) {
        warnings.kompose(
          parts.length === 1
            ? 'Ignoring user directive. User to be specified as a UID (numeric).'
            : 'Ignoring user name in user directive. User to be specified as a UID (numeric).',
          compose.name,
          'user',
        );
      } else out.runAsUser = uid;
      if (parts.length === 2) {
        const gid = numeric(parts[1]);
        if (gid === undefined) {
          warnings.kompose(
            'Ignoring group name in user directive. Group to be specified as a GID (numeric).',
            compose.name,
            'user',
          );
        } else out.runAsGroup = gid;
      }
    }
  }
  if (compose.cap_add.length > 0 || compose.cap_drop.length > 0) {
    out.capabilities = {
      ...(compose.cap_add.length > 0 ? { add: compose.cap_add } : {}),
      ...(compose.cap_drop.length > 0 ? { drop: compose.cap_drop } : {}),
    };
  }
  if (compose.read_only) out.readOnlyRootFilesystem = true;
  return Object.keys(out).length > 0 ? out : undefined;
}

export function podSecurity(service: KService, warnings: WarningSink): V1PodSecurityContext | undefined {
  const pid = service.compose.pid;
  if (pid && pid !== 'host') {
    warnings.kompose(
      `Ignoring PID key for service "${service.name}". Invalid value "${pid}".`,
      service.compose.name,
      'pid',
    );
  }
  const out: V1PodSecurityContext = {};
  if (service.groupAdd.length > 0) out.supplementalGroups = service.groupAdd;
  const fsGroup = Number(service.labels[LABEL.fsGroup] ?? 0);
  if (fsGroup) out.fsGroup = fsGroup;
  return Object.keys(out).length > 0 ? out : undefined;
}

export function imagePullPolicy(service: KService): string | undefined {
  const policy = service.labels[LABEL.imagePullPolicy];
  if (!policy) return undefined;
  if (!['Always', 'Never', 'IfNotPresent'].includes(policy)) {
    throw new ComposeError(`Unknown image-pull-policy ${policy} for service ${service.name}`, {
      keyPath: `services.${service.compose.name}.labels`,
    });
  }
  return policy;
}

export function restartPolicy(service: KService): string {
  const policy = {
    '': 'Always',
    always: 'Always',
    any: 'Always',
    no: 'Never',
    none: 'Never',
    'on-failure': 'OnFailure',
  }[service.restart];
  if (!policy) {
    throw new ComposeError(`Unknown restart policy ${service.restart} for service ${service.name}`, {
      keyPath: `services.${service.compose.name}.restart`,
    });
  }
  return policy;
}

export function affinity(service: KService): V1Affinity | undefined {
  const expressions = [
    ...service.placement.positive.map(([key, value]) => ({ key, operator: 'In', values: [value] })),
    ...service.placement.negative.map(([key, value]) => ({ key, operator: 'NotIn', values: [value] })),
  ];
  if (expressions.length === 0) return undefined;
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: expressions }],
      },
    },
  };
}

export function topologySpread(
  service: KService,
  warnings: WarningSink,
): V1TopologySpreadConstraint[] | undefined {
  const preferences = service.placement.preferences;
  if (preferences.length === 0) return undefined;
  if (service.compose.deploy?.mode === 'global') {
    warnings.kompose(
      `Ignore placement preferences for global service ${service.rawName}`,
      service.compose.name,
    );
    return undefined;
  }
  return preferences.map((topologyKey, i) => ({
    maxSkew: preferences.length - i,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selectorLabels(service.rawName) },
  }));
}

export function gracePeriod(service: KService, warnings: WarningSink): number | undefined {
  const value = service.compose.stop_grace_period;
  if (!value) return undefined;
  try {
    return durationSeconds(value);
  } catch {
    warnings.kompose(
      `Failed to parse duration "${value}" for service "${service.name}"`,
      service.compose.name,
    );
    return undefined;
  }
}

export function labelInitContainers(service: KService): V1Container[] {
  const image = service.labels[LABEL.initContainerImage];
  if (!image) return [];
  return [
    {
      name: service.labels[LABEL.initContainerName] || 'init-service',
      image,
      command: initCommand(service.labels[LABEL.initContainerCommand] ?? ''),
    },
  ];
}

// kompose's reading of the command label: a JSON-ish list when it has commas, else one word.
function initCommand(line: string): string[] {
  if (line === '') return [];
  if (!line.includes(',')) return [line];
  return line
    .replace(/^\[+|\]+$/g, '')
    .trim()
    .split(',')
    .map((part) => part.trim().replace(/^["' ]+|["' ]+$/g, ''));
}

/** `extra_hosts` → `hostAliases`, one entry per IP address (beyond kompose, which drops them). */
function hostAliases(hosts: Record<string, string>): V1PodSpec['hostAliases'] {
  const byIp = new Map<string, string[]>();
  for (const [hostname, ip] of Object.entries(hosts)) byIp.set(ip, [...(byIp.get(ip) ?? []), hostname]);
  return byIp.size > 0 ? [...byIp].map(([ip, hostnames]) => ({ ip, hostnames })) : undefined;
}

/** Pod fields set alike for every workload kind. */
export function podBasics(service: KService, warnings: WarningSink): Partial<V1PodSpec> {
  const spec: Partial<V1PodSpec> = {};
  const set = <K extends keyof V1PodSpec>(key: K, value: V1PodSpec[K] | undefined) => {
    if (value !== undefined && value !== '') spec[key] = value;
  };
  set('affinity', affinity(service));
  set('topologySpreadConstraints', topologySpread(service, warnings));
  set('terminationGracePeriodSeconds', gracePeriod(service, warnings));
  set('securityContext', podSecurity(service, warnings));
  set('restartPolicy', restartPolicy(service));
  set('hostname', service.compose.hostname);
  set('subdomain', service.compose.domainname);
  set('serviceAccountName', service.labels[LABEL.serviceAccountName]);
  const pullSecret = service.labels[LABEL.imagePullSecret];
  if (pullSecret) spec.imagePullSecrets = [{ name: pullSecret }];
  set('hostAliases', hostAliases(service.compose.extra_hosts));
  return spec;
}
