// The Compose project after loading: files merged, variables interpolated, `extends` and profiles
// applied, short syntax expanded to long syntax — roughly what compose-go hands kompose.
// https://github.com/compose-spec/compose-spec/blob/main/spec.md

export interface ComposePort {
  target: number;
  /** Host port as written (may be a range such as `8000-8010`); absent when not published. */
  published?: string;
  host_ip?: string;
  protocol: string;
  mode?: string;
}

export type ComposeVolumeType = 'volume' | 'bind' | 'tmpfs' | 'npipe' | 'image' | 'cluster';

export interface ComposeVolumeMount {
  type: ComposeVolumeType;
  /** Volume name, or the absolute host path of a bind mount; absent for anonymous volumes and tmpfs. */
  source?: string;
  target: string;
  read_only: boolean;
  /** Access mode letters from the short syntax (`rw`, `ro`, `z`, ...). */
  mode?: string;
}

export interface ComposeFileReference {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface ComposeHealthcheck {
  /** The `test` list with its leading `CMD`/`CMD-SHELL` marker, as compose-go keeps it. */
  test?: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  disable: boolean;
}

export interface ComposeDependency {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  required: boolean;
}

export interface ComposeEnvFile {
  /** Path as written, relative to the project directory. */
  path: string;
  required: boolean;
}

export interface ComposeService {
  name: string;
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  entrypoint?: string[];
  container_name?: string;
  hostname?: string;
  domainname?: string;
  working_dir?: string;
  user?: string;
  /** Values are `null` for a bare `KEY` that was not found in the environment. */
  environment: Record<string, string | null>;
  env_file: ComposeEnvFile[];
  labels: Record<string, string>;
  ports: ComposePort[];
  expose: string[];
  volumes: ComposeVolumeMount[];
  tmpfs: string[];
  configs: ComposeFileReference[];
  secrets: ComposeFileReference[];
  healthcheck?: ComposeHealthcheck;
  depends_on: Record<string, ComposeDependency>;
  /** Network keys the service joins (in file order); empty when it uses the default network. */
  networks: string[];
  network_mode?: string;
  restart?: string;
  deploy?: ComposeDeploy;
  mem_limit?: number;
  mem_reservation?: number;
  cpus?: number;
  /** `extra_hosts` as host name → IP address. */
  extra_hosts: Record<string, string>;
  cap_add: string[];
  cap_drop: string[];
  group_add: string[];
  privileged: boolean;
  read_only: boolean;
  stdin_open: boolean;
  tty: boolean;
  stop_grace_period?: string;
  pid?: string;
  profiles: string[];
  /** Every key the file set for this service, to report the ones that cannot be carried over. */
  keys: string[];
}

export interface ComposeDeploy {
  mode?: string;
  replicas?: number;
  labels: Record<string, string>;
  resources: {
    limits?: { cpus?: number; memory?: number };
    reservations?: { cpus?: number; memory?: number };
  };
  restart_policy?: { condition?: string };
  placement: { constraints: string[]; preferences: string[] };
  update_config?: { parallelism?: number; order?: string };
  endpoint_mode?: string;
}

export interface ComposeNetwork {
  /** The real network name (`<project>_<key>` unless `name` or `external` says otherwise). */
  name: string;
  external: boolean;
}

export interface ComposeNamedVolume {
  name: string;
  external: boolean;
  labels: Record<string, string>;
}

export interface ComposeFileObject {
  name: string;
  /** Absolute path of the file holding the data. */
  file?: string;
  content?: string;
  environment?: string;
  external: boolean;
}

export interface ComposeProject {
  name: string;
  /** Directory of the first compose file; relative paths are resolved against it. */
  workingDir: string;
  files: string[];
  services: Record<string, ComposeService>;
  networks: Record<string, ComposeNetwork>;
  volumes: Record<string, ComposeNamedVolume>;
  configs: Record<string, ComposeFileObject>;
  secrets: Record<string, ComposeFileObject>;
  /** Warnings raised while loading (unset variables, obsolete keys). */
  warnings: LoadWarning[];
}

export interface LoadWarning {
  file?: string;
  line?: number;
  keyPath?: string;
  message: string;
}
