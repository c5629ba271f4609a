import { basename, isAbsolute, join, posix } from 'node:path';
import type { V1ConfigMap, V1PersistentVolumeClaim, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { ComposeError } from '../composeError';
import type { ComposeProject } from '../types';
import { configMapData } from './configMapData';
import type { ConvertOptions } from './convertOptions';
import { type KService, resourceName } from './komposeService';
import { LABEL, selectorLabels } from './labels';
import type { WarningSink } from './warnings';

// Volumes of one service: named volumes and bind mounts (claims, emptyDir, hostPath or
// ConfigMaps of existing host files), tmpfs, and secret files.

export interface ServiceVolumes {
  mounts: V1VolumeMount[];
  volumes: V1Volume[];
  claims: V1PersistentVolumeClaim[];
  configMaps: V1ConfigMap[];
}

const VOLUME_KINDS = new Set(['emptyDir', 'hostPath', 'configMap', 'persistentVolumeClaim']);
const DEFAULT_CLAIM_SIZE = '100Mi';

export function serviceVolumes(
  service: KService,
  name: string,
  project: ComposeProject,
  options: ConvertOptions,
  warnings: WarningSink,
): ServiceVolumes {
  const out: ServiceVolumes = { mounts: [], volumes: [], claims: [], configMaps: [] };
  let kind = options.volumes;
  const labelKind = service.labels[LABEL.volumeType];
  if (labelKind !== undefined) {
    if (!VOLUME_KINDS.has(labelKind)) {
      throw new ComposeError(
        `invalid volume type ${labelKind} specified in label 'kompose.volume.type' in service ${service.rawName}`,
        { keyPath: `services.${service.compose.name}.labels` },
      );
    }
    kind = labelKind as ConvertOptions['volumes'];
  }
  const subPath = service.labels[LABEL.volumeSubpath];
  secretVolumes(service, options, warnings, out);

  service.volumes.forEach((volume, index) => {
    if (volume.type === 'tmpfs') {
      addTmpfs(out, `${name}-tmpfs-volume${index}`, volume.target);
      return;
    }
    const host = volume.type === 'bind' ? volume.source : undefined;
    if (host?.endsWith('.sock')) {
      warnings.kompose(`Skip file in path ${host} `, service.compose.name, 'volumes');
      return;
    }
    // kompose turns a bind mount of an existing, non-empty file or directory into a ConfigMap.
    const hostKind = host ? hostContent(host, options) : 'missing';
    if (hostKind === 'missing') {
      warnings.kompose(
        `File don't exist or failed to check if the directory is empty: stat ${host ?? `:${volume.target}`}: no such file or directory`,
        service.compose.name,
        'volumes',
      );
    }
    const bindAsHostPath = options.hostPathBindMounts && volume.type === 'bind';
    const asConfigMap = hostKind !== 'missing' && !bindAsHostPath;
    const useEmpty = kind === 'emptyDir' && !asConfigMap && !bindAsHostPath;
    const useHostPath = (kind === 'hostPath' || bindAsHostPath) && !asConfigMap;
    const readOnly = volume.read_only;
    const claimName = `${name}-claim${index}`;
    let volumeName: string;
    if (volume.type === 'volume' && volume.source) {
      volumeName = volume.source.replace(/_/g, '-');
    } else {
      const suffix = useEmpty ? 'empty' : useHostPath ? 'hostpath' : asConfigMap ? 'cm' : 'claim';
      volumeName = claimName.replace('claim', suffix);
    }
    const mount: V1VolumeMount = {
      name: volumeName,
      mountPath: volume.target,
      ...(readOnly ? { readOnly } : {}),
    };
    let source: Omit<V1Volume, 'name'>;
    if (useEmpty) {
      source = { emptyDir: {} };
    } else if (useHostPath) {
      const path = host ?? volume.source ?? volume.target;
      source = { hostPath: { path: isAbsolute(path) ? path : join(project.workingDir, path) } };
    } else if (asConfigMap && host) {
      const configMap = hostConfigMap(name, volumeName, host, options);
      out.configMaps.push(configMap);
      if (configMap.metadata?.annotations?.['use-subpath'] === 'true') {
        const key = Object.keys({ ...configMap.data, ...configMap.binaryData })[0] as string;
        const path = posix.basename(volume.target);
        source = { configMap: { name: volumeName, items: [{ key, path }] } };
        mount.subPath = path;
      } else {
        source = { configMap: { name: volumeName } };
      }
    } else {
      source = { persistentVolumeClaim: { claimName: volumeName, ...(readOnly ? { readOnly } : {}) } };
      out.claims.push(claim(service, volumeName, volume.mode, volume.source, project, options));
    }
    if (subPath) mount.subPath = subPath;
    out.mounts.push(mount);
    out.volumes.push({ name: volumeName, ...source });
    if (host && !useHostPath && !asConfigMap) {
      warnings.kompose(
        `Volume mount on the host "${host}" isn't supported - ignoring path on the host`,
        service.compose.name,
        'volumes',
      );
    }
  });

  service.compose.tmpfs.forEach((path, index) => {
    addTmpfs(out, `${name}-tmpfs${index}`, path.split(':')[0] as string);
  });
  return out;
}

function addTmpfs(out: ServiceVolumes, name: string, mountPath: string): void {
  out.mounts.push({ name, mountPath });
  out.volumes.push({ name, emptyDir: { medium: 'Memory' } });
}

function hostContent(path: string, options: ConvertOptions): 'file' | 'directory' | 'missing' {
  const kind = options.fs.kind(path);
  if (kind !== 'directory') return kind;
  // A directory without files becomes a claim, as in kompose.
  return options.fs.list(path).some((entry) => !entry.directory) ? 'directory' : 'missing';
}

function hostConfigMap(name: string, cmName: string, host: string, options: ConvertOptions): V1ConfigMap {
  const files: Record<string, Buffer> = {};
  const isDirectory = options.fs.kind(host) === 'directory';
  if (isDirectory) {
    for (const entry of options.fs.list(host)) {
      if (!entry.directory) files[entry.name] = options.fs.read(join(host, entry.name));
    }
  } else {
    files[basename(host)] = options.fs.read(host);
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: cmName,
      labels: selectorLabels(name),
      ...(isDirectory ? {} : { annotations: { 'use-subpath': 'true' } }),
    },
    ...configMapData(files),
  };
}

function claim(
  service: KService,
  name: string,
  mode: string | undefined,
  volumeName: string | undefined,
  project: ComposeProject,
  options: ConvertOptions,
): V1PersistentVolumeClaim {
  const named = volumeName ? project.volumes[volumeName] : undefined;
  const size =
    named?.labels[LABEL.volumeSize] ??
    service.labels[LABEL.volumeSize] ??
    options.pvcRequestSize ??
    DEFAULT_CLAIM_SIZE;
  const selector = named?.labels[LABEL.volumeSelector];
  const storageClassName = named?.labels[LABEL.volumeSize]
    ? undefined
    : service.labels[LABEL.volumeStorageClassName];
  const accessMode =
    { ro: 'ReadOnlyMany', rox: 'ReadOnlyMany', rwx: 'ReadWriteMany', rwop: 'ReadWriteOncePod' }[mode ?? ''] ??
    'ReadWriteOnce';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: resourceName(name), labels: selectorLabels(name) },
    spec: {
      accessModes: [accessMode],
      resources: { requests: { storage: size } },
      ...(selector ? { selector: { matchLabels: selectorLabels(selector) } } : {}),
      ...(storageClassName ? { storageClassName } : {}),
    },
  };
}

function secretVolumes(
  service: KService,
  options: ConvertOptions,
  warnings: WarningSink,
  out: ServiceVolumes,
): void {
  for (const ref of service.compose.secrets) {
    const source = resourceName(ref.source);
    const target = resourceName(ref.target ?? '');
    if (ref.uid)
      warnings.kompose(`Ignore pid in secrets for service: ${service.name}`, service.compose.name, 'secrets');
    if (ref.gid)
      warnings.kompose(`Ignore gid in secrets for service: ${service.name}`, service.compose.name, 'secrets');
    const { item, mountPath } = options.secretsAsFiles
      ? secretPaths(source, target)
      : legacySecretPaths(source, target);
    out.volumes.push({
      name: source,
      secret: {
        secretName: source,
        items: [{ key: source, path: item }],
        ...(ref.mode ? { defaultMode: ref.mode } : {}),
      },
    });
    out.mounts.push({ name: source, mountPath, subPath: item });
  }
}

function secretPaths(source: string, target: string): { item: string; mountPath: string } {
  const path = target || source;
  return {
    item: path.split('/').at(-1) as string,
    mountPath: target.startsWith('/') ? path : `/run/secrets/${path}`,
  };
}

// kompose's default: the mount path is the target's directory (a file then sits in it via subPath).
function legacySecretPaths(source: string, target: string): { item: string; mountPath: string } {
  if (!target) return { item: source, mountPath: `/run/secrets/${source}` };
  const last = target.split('/').at(-1) as string;
  let mountPath = last === target ? source : target.slice(0, target.length - last.length - 1);
  if (!target.startsWith('/')) mountPath = `/run/secrets/${mountPath}`;
  return { item: last, mountPath };
}
