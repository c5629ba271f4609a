import { lstatSync, readdirSync, readFileSync } from 'node:fs';

// Options of one conversion; names follow kompose's flags (`--controller`, `--volumes`, ...).

export type VolumeKind = 'persistentVolumeClaim' | 'emptyDir' | 'hostPath' | 'configMap';

export interface ConvertOptions {
  /** `--controller`: deployment, daemonset or statefulset; unset means Deployment (Pod for restart: no). */
  controller?: string;
  /** `--replicas`: replicas when the file does not say (or always, with `replicasFlagSet`). */
  replicas: number;
  replicasFlagSet: boolean;
  /** `--volumes`: what named volumes and bind mounts become. */
  volumes: VolumeKind;
  /** `--pvc-request-size`, default 100Mi. */
  pvcRequestSize?: string;
  /** `-n`: namespace for every object, plus a Namespace object. */
  namespace?: string;
  generateNetworkPolicies: boolean;
  /** `--with-kompose-annotation`: keep `kompose.*` labels and add kompose.cmd / kompose.version. */
  withKomposeAnnotation: boolean;
  /** Value of the `kompose.cmd` annotation. */
  command: string;
  /** Value of the `kompose.version` annotation. */
  version: string;
  serviceGroupMode?: 'label' | 'volume';
  serviceGroupName?: string;
  secretsAsFiles: boolean;
  /** Beyond kompose: bind mounts become hostPath volumes (named volumes stay claims). */
  hostPathBindMounts: boolean;
  /** Beyond kompose: `depends_on: {x: {condition: service_healthy}}` → an init container waiting for x's Service. */
  waitForHealthyDependencies: boolean;
  /** Beyond kompose: a headless Service for services without ports, so their names resolve. */
  servicesWithoutPorts: boolean;
  /** Image of the wait-for init containers. */
  waitImage: string;
  fs: HostFiles;
}

/** The host files a conversion reads (bind-mount sources, env files, config and secret files). */
export interface HostFiles {
  kind(path: string): 'file' | 'directory' | 'missing';
  list(dir: string): { name: string; directory: boolean }[];
  read(path: string): Buffer;
}

export const nodeHostFiles: HostFiles = {
  kind(path) {
    try {
      const stat = lstatSync(path, { throwIfNoEntry: false });
      if (!stat) return 'missing';
      return stat.isDirectory() ? 'directory' : 'file';
    } catch {
      // Paths that cannot be inspected (bad characters, permissions) are treated as absent, like kompose.
      return 'missing';
    }
  },
  list: (dir) =>
    readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() })),
  read: (path) => readFileSync(path),
};

export function defaultConvertOptions(overrides: Partial<ConvertOptions> = {}): ConvertOptions {
  return {
    replicas: 1,
    replicasFlagSet: false,
    volumes: 'persistentVolumeClaim',
    generateNetworkPolicies: false,
    withKomposeAnnotation: true,
    command: 'kubedesk convert',
    version: 'kubedesk',
    secretsAsFiles: false,
    hostPathBindMounts: false,
    waitForHealthyDependencies: true,
    servicesWithoutPorts: false,
    waitImage: 'busybox:1.36',
    fs: nodeHostFiles,
    ...overrides,
  };
}
