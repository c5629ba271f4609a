import { basename, posix } from 'node:path';
import type { V1ConfigMap, V1Secret, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { ComposeProject } from '../types';
import { configMapData } from './configMapData';
import type { ConvertOptions } from './convertOptions';
import { type KService, resourceName } from './komposeService';
import { selectorLabels } from './labels';
import type { WarningSink } from './warnings';

// Top-level `configs` → ConfigMaps mounted by file, and `secrets` → Secrets.

function fileName(name: string): string {
  return posix.basename(name).replace(/_/g, '-');
}

export function configConfigMaps(
  service: KService,
  name: string,
  project: ComposeProject,
  options: ConvertOptions,
  warnings: WarningSink,
): V1ConfigMap[] {
  const out: V1ConfigMap[] = [];
  for (const ref of service.compose.configs) {
    const config = project.configs[ref.source];
    if (!config || config.external) continue;
    const base = { apiVersion: 'v1', kind: 'ConfigMap' };
    if (config.file) {
      const key = Object.entries(project.configs).find(([, c]) => c.file === config.file)?.[0] ?? ref.source;
      out.push({
        ...base,
        metadata: { name: fileName(key), labels: selectorLabels(name) },
        ...configMapData({ [basename(config.file)]: options.fs.read(config.file) }),
      });
    } else if (config.content !== undefined) {
      out.push({
        ...base,
        metadata: { name: ref.source, labels: selectorLabels(name) },
        ...configMapData({ [posix.basename(ref.target ?? ref.source)]: Buffer.from(config.content) }),
      });
    } else if (config.environment) {
      warnings.kompose(
        'Environment variables in configmaps are not supported yet',
        service.compose.name,
        'configs',
      );
    } else {
      warnings.kompose(`Configmap ${ref.source} is empty`, service.compose.name, 'configs');
    }
  }
  return out;
}

/** Mounts of `configs:` — one file each, through subPath. kompose adds them to Deployments and StatefulSets only. */
export function configMounts(
  service: KService,
  project: ComposeProject,
  warnings: WarningSink,
): { mounts: V1VolumeMount[]; volumes: V1Volume[] } {
  const mounts: V1VolumeMount[] = [];
  const volumes: V1Volume[] = [];
  for (const ref of service.compose.configs) {
    const config = project.configs[ref.source];
    const volumeName = fileName(ref.source);
    const target = ref.target ?? `/${ref.source}`;
    const subPath = posix.basename(target);
    let key: string | undefined;
    if (config?.file) key = basename(config.file);
    else if (config?.content !== undefined) key = posix.basename(ref.target ?? ref.source);
    if (!config || config.external || !key) {
      const reason = !config ? 'not found' : config.external ? 'is external' : 'is empty';
      warnings.kompose(
        `cannot parse config ${ref.source} , config ${ref.source} ${reason}`,
        service.compose.name,
        'configs',
      );
      continue;
    }
    volumes.push({
      name: volumeName,
      configMap: {
        name: volumeName,
        items: [{ key, path: subPath }],
        ...(ref.mode ? { defaultMode: ref.mode } : {}),
      },
    });
    mounts.push({ name: volumeName, mountPath: target, subPath });
  }
  return { mounts, volumes };
}

export function projectSecrets(
  project: ComposeProject,
  options: ConvertOptions,
  warnings: WarningSink,
): V1Secret[] {
  const out: V1Secret[] = [];
  for (const [key, secret] of Object.entries(project.secrets)) {
    const name = resourceName(key);
    let content: Buffer | undefined;
    if (secret.file) content = options.fs.read(secret.file);
    else if (secret.content !== undefined) content = Buffer.from(secret.content);
    if (!content) {
      warnings.kompose(
        `External secrets ${key} is not currently supported - ignoring`,
        undefined,
        `secrets.${key}`,
      );
      continue;
    }
    out.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, labels: selectorLabels(name) },
      type: 'Opaque',
      data: { [name]: content.toString('base64') },
    });
  }
  return out;
}
