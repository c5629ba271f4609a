import type { RawService } from './canonicalService';
import { listOrDict } from './canonicalService';
import { shellSplit } from './shellSplit';
import type {
  ComposeDependency,
  ComposeDeploy,
  ComposeEnvFile,
  ComposeFileReference,
  ComposeHealthcheck,
  ComposePort,
  ComposeService,
  ComposeVolumeMount,
} from './types';
import { parseBytes } from './units';

// Turns a merged, canonical service mapping into the typed `ComposeService`.

export function normalizeService(
  name: string,
  raw: RawService,
  lookupEnv: (key: string) => string | undefined,
): ComposeService {
  const str = (key: string) => (raw[key] === undefined || raw[key] === null ? undefined : String(raw[key]));
  const list = (key: string) => ((raw[key] as unknown[] | undefined) ?? []).map(String);
  const environment: Record<string, string | null> = {};
  for (const [key, value] of Object.entries((raw.environment as Record<string, string | null>) ?? {})) {
    environment[key] = value ?? lookupEnv(key) ?? null;
  }
  const build = raw.build as { context?: string; dockerfile?: string } | undefined;
  const service: ComposeService = {
    name,
    image: str('image'),
    build: build ? { context: build.context ?? '.', dockerfile: build.dockerfile } : undefined,
    command: commandLine(raw.command),
    entrypoint: commandLine(raw.entrypoint),
    container_name: str('container_name'),
    hostname: str('hostname'),
    domainname: str('domainname'),
    working_dir: str('working_dir'),
    user: str('user'),
    environment,
    env_file: (raw.env_file as ComposeEnvFile[] | undefined) ?? [],
    labels: stringMap(raw.labels),
    ports: uniquePorts((raw.ports as ComposePort[] | undefined) ?? []),
    expose: list('expose'),
    volumes: (raw.volumes as ComposeVolumeMount[] | undefined) ?? [],
    tmpfs: list('tmpfs'),
    configs: fileReferences(raw.configs),
    secrets: fileReferences(raw.secrets),
    healthcheck: healthcheck(raw.healthcheck),
    depends_on: (raw.depends_on as Record<string, ComposeDependency> | undefined) ?? {},
    networks: Object.keys((raw.networks as Record<string, unknown> | undefined) ?? {}),
    network_mode: str('network_mode'),
    restart: str('restart'),
    deploy: raw.deploy ? deploy(raw.deploy as Record<string, unknown>) : undefined,
    mem_limit: raw.mem_limit === undefined ? undefined : parseBytes(raw.mem_limit as string | number),
    mem_reservation:
      raw.mem_reservation === undefined ? undefined : parseBytes(raw.mem_reservation as string | number),
    cpus: raw.cpus === undefined ? undefined : Number(raw.cpus),
    extra_hosts: stringMap(raw.extra_hosts),
    cap_add: list('cap_add'),
    cap_drop: list('cap_drop'),
    group_add: list('group_add'),
    privileged: raw.privileged === true,
    read_only: raw.read_only === true,
    stdin_open: raw.stdin_open === true,
    tty: raw.tty === true,
    stop_grace_period: str('stop_grace_period'),
    pid: str('pid'),
    profiles: list('profiles'),
    keys: Object.keys(raw),
  };
  return service;
}

// compose-go drops repeated mappings (`3000` and `3000-3005` both publish 3000).
function uniquePorts(ports: ComposePort[]): ComposePort[] {
  const seen = new Set<string>();
  return ports.filter((port) => {
    const key = JSON.stringify([port.target, port.published, port.host_ip, port.protocol, port.mode]);
    return !seen.has(key) && seen.add(key);
  });
}

function commandLine(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? shellSplit(value) : (value as unknown[]).map(String);
}

function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(listOrDict(value)).map(([k, v]) => [k, v ?? '']));
}

function fileReferences(value: unknown): ComposeFileReference[] {
  return ((value as Record<string, unknown>[] | undefined) ?? []).map((ref) => ({
    source: String(ref.source),
    target: ref.target === undefined ? undefined : String(ref.target),
    uid: ref.uid === undefined ? undefined : String(ref.uid),
    gid: ref.gid === undefined ? undefined : String(ref.gid),
    mode:
      ref.mode === undefined
        ? undefined
        : typeof ref.mode === 'string'
          ? Number.parseInt(ref.mode, 8)
          : Number(ref.mode),
  }));
}

function healthcheck(value: unknown): ComposeHealthcheck | undefined {
  if (!value) return undefined;
  const hc = value as Record<string, unknown>;
  let test: string[] | undefined;
  if (typeof hc.test === 'string') test = hc.test === 'NONE' ? ['NONE'] : ['CMD-SHELL', hc.test];
  else if (Array.isArray(hc.test)) test = hc.test.map(String);
  return {
    test,
    interval: hc.interval === undefined ? undefined : String(hc.interval),
    timeout: hc.timeout === undefined ? undefined : String(hc.timeout),
    retries: hc.retries === undefined ? undefined : Number(hc.retries),
    start_period: hc.start_period === undefined ? undefined : String(hc.start_period),
    disable: hc.disable === true || test?.[0] === 'NONE',
  };
}

function deploy(raw: Record<string, unknown>): ComposeDeploy {
  const resources = (raw.resources as Record<string, Record<string, unknown>> | undefined) ?? {};
  const amount = (r: Record<string, unknown> | undefined) =>
    r && {
      cpus: r.cpus === undefined ? undefined : Number(r.cpus),
      memory: r.memory === undefined ? undefined : parseBytes(r.memory as string | number),
    };
  const placement = (raw.placement as Record<string, unknown> | undefined) ?? {};
  const update = raw.update_config as Record<string, unknown> | undefined;
  return {
    mode: raw.mode === undefined ? undefined : String(raw.mode),
    replicas: raw.replicas === undefined ? undefined : Number(raw.replicas),
    labels: stringMap(raw.labels),
    resources: { limits: amount(resources.limits), reservations: amount(resources.reservations) },
    restart_policy: raw.restart_policy as ComposeDeploy['restart_policy'],
    placement: {
      constraints: ((placement.constraints as unknown[]) ?? []).map(String),
      preferences: ((placement.preferences as Record<string, unknown>[]) ?? []).map((p) => String(p.spread)),
    },
    update_config: update && {
      parallelism: update.parallelism === undefined ? undefined : Number(update.parallelism),
      order: update.order === undefined ? undefined : String(update.order),
    },
    endpoint_mode: raw.endpoint_mode === undefined ? undefined : String(raw.endpoint_mode),
  };
}
