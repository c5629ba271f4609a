import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type {
  V1PersistentVolume,
  V1Pod,
  V1ServiceAccountTokenProjection,
  V1Volume,
} from '@kubernetes/client-node';
import { type EnvSources, podFieldValue } from './envResolution';

// Pod volumes as directories on the node, bind-mounted into containers. configMap, secret,
// downwardAPI and projected volumes are rewritten on every sync so their files follow the source.

export const podsRoot = '/var/lib/kubedesk/pods';
export const pvRoot = '/var/lib/kubedesk/pv';

const run = promisify(execFile);

export interface VolumeSources extends EnvSources {
  /** The bound PersistentVolume of a claim in the pod's namespace, if any. */
  persistentVolume(claim: string): V1PersistentVolume | undefined;
  /** A token for a projected serviceAccountToken source (the kubelet's token manager). */
  serviceAccountToken?(projection: V1ServiceAccountTokenProjection): Promise<string>;
}

type Files = Map<string, string | Buffer>;

function writeFiles(dir: string, files: Files): void {
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of files) {
    const target = join(dir, path);
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    if (existsSync(target) && readFileSync(target).equals(data)) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
}

function keyed(
  data: Record<string, string | Buffer>,
  items: { key: string; path: string }[] | undefined,
  files: Files,
  prefix = '',
): void {
  if (items?.length) {
    for (const item of items)
      if (item.key in data) files.set(join(prefix, item.path), data[item.key] as string);
  } else {
    for (const [key, value] of Object.entries(data)) files.set(join(prefix, key), value);
  }
}

const secretData = (sources: EnvSources, name: string) => {
  const secret = sources.secrets.get(name);
  return (
    secret &&
    Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]))
  );
};

const configMapData = (sources: EnvSources, name: string) => {
  const cm = sources.configMaps.get(name);
  return (
    cm && {
      ...(cm.data ?? {}),
      ...Object.fromEntries(
        Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
      ),
    }
  );
};

function downwardFiles(
  pod: V1Pod,
  items: { path: string; fieldRef?: { fieldPath: string } }[],
  sources: EnvSources,
  files: Files,
) {
  for (const item of items)
    if (item.fieldRef) files.set(item.path, podFieldValue(pod, item.fieldRef.fieldPath, sources));
}

async function isMountPoint(dir: string): Promise<boolean> {
  return run('mountpoint', ['-q', dir]).then(
    () => true,
    () => false,
  );
}

async function volumeDir(pod: V1Pod, volume: V1Volume, dir: string, sources: VolumeSources): Promise<string> {
  const files: Files = new Map();
  if (volume.emptyDir) {
    mkdirSync(dir, { recursive: true });
    if (volume.emptyDir.medium === 'Memory' && !(await isMountPoint(dir))) {
      const size = volume.emptyDir.sizeLimit ? [`-o`, `size=${volume.emptyDir.sizeLimit}`] : [];
      await run('mount', ['-t', 'tmpfs', ...size, 'tmpfs', dir]);
    }
    return dir;
  }
  if (volume.hostPath) {
    const path = volume.hostPath.path;
    if (!existsSync(path) && (volume.hostPath.type ?? 'DirectoryOrCreate') === 'DirectoryOrCreate')
      mkdirSync(path, { recursive: true });
    return path;
  }
  if (volume.persistentVolumeClaim) {
    const pv = sources.persistentVolume(volume.persistentVolumeClaim.claimName);
    if (!pv)
      throw new Error(`persistentvolumeclaim "${volume.persistentVolumeClaim.claimName}" is not bound`);
    const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path ?? join(pvRoot, pv.metadata?.name ?? '');
    mkdirSync(path, { recursive: true });
    return path;
  }
  if (volume.configMap) {
    const data = configMapData(sources, volume.configMap.name ?? '');
    if (!data && !volume.configMap.optional)
      throw new Error(`configmap "${volume.configMap.name}" not found`);
    keyed(data ?? {}, volume.configMap.items, files);
  } else if (volume.secret) {
    const data = secretData(sources, volume.secret.secretName ?? '');
    if (!data && !volume.secret.optional) throw new Error(`secret "${volume.secret.secretName}" not found`);
    keyed(data ?? {}, volume.secret.items, files);
  } else if (volume.downwardAPI) {
    downwardFiles(pod, volume.downwardAPI.items ?? [], sources, files);
  } else if (volume.projected) {
    for (const source of volume.projected.sources ?? []) {
      if (source.configMap)
        keyed(configMapData(sources, source.configMap.name ?? '') ?? {}, source.configMap.items, files);
      if (source.secret)
        keyed(secretData(sources, source.secret.name ?? '') ?? {}, source.secret.items, files);
      if (source.downwardAPI) downwardFiles(pod, source.downwardAPI.items ?? [], sources, files);
      if (source.serviceAccountToken) {
        if (!sources.serviceAccountToken)
          throw new Error(`volume "${volume.name}": no service account token source`);
        files.set(
          source.serviceAccountToken.path,
          await sources.serviceAccountToken(source.serviceAccountToken),
        );
      }
    }
  } else {
    throw new Error(
      `volume "${volume.name}": only emptyDir, hostPath, configMap, secret, downwardAPI, projected and persistentVolumeClaim are supported`,
    );
  }
  writeFiles(dir, files);
  return dir;
}

/** Prepares every volume of the pod; returns volume name → node directory. */
export async function prepareVolumes(pod: V1Pod, sources: VolumeSources): Promise<Map<string, string>> {
  const dirs = new Map<string, string>();
  const base = join(podsRoot, pod.metadata?.uid ?? 'unknown', 'volumes');
  for (const volume of pod.spec?.volumes ?? []) {
    dirs.set(volume.name, await volumeDir(pod, volume, join(base, volume.name), sources));
  }
  return dirs;
}

/** Unmounts tmpfs volumes and removes the pod's directory once its containers are gone. */
export async function removePodVolumes(uid: string): Promise<void> {
  const base = join(podsRoot, uid);
  if (!existsSync(base)) return;
  await run('sh', [
    '-c',
    `for m in $(awk '$2 ~ "^${base}/" {print $2}' /proc/mounts); do umount "$m"; done; rm -rf "${base}"`,
  ]);
}
