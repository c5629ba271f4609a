import { relative, resolve, sep } from 'node:path';
import type { V1ConfigMap, V1EnvFromSource, V1EnvVar } from '@kubernetes/client-node';
import { ComposeError } from '../composeError';
import { parseEnvFile } from '../dotenv';
import type { ComposeProject } from '../types';
import type { ConvertOptions } from './convertOptions';
import { type KService, resourceName } from './komposeService';
import { selectorLabels } from './labels';

// `environment` and `env_file`: each env file becomes a ConfigMap referenced by `envFrom`, and
// keys an env file defines are left out of `env` (kompose's rule).

/** kompose's ConfigMap name for an env file: `./config/app.env` → `config-app-env`. */
export function envFileConfigMapName(path: string, serviceName: string): string {
  let name = path.replace(/^[./]+|[./]+$/g, '').replace(/[^a-zA-Z0-9]/g, '-');
  if (name.startsWith('-')) name = `${serviceName}${name}`;
  return name.slice(0, 63);
}

function relativePath(project: ComposeProject, path: string): string {
  return relative(project.workingDir, resolve(project.workingDir, path)).split(sep).join('/');
}

function readEnvFile(
  project: ComposeProject,
  path: string,
  options: ConvertOptions,
  lookup?: (k: string) => string | undefined,
) {
  const full = resolve(project.workingDir, path);
  if (options.fs.kind(full) !== 'file') return undefined;
  try {
    return parseEnvFile(options.fs.read(full).toString('utf8'), lookup);
  } catch (err) {
    throw new ComposeError(`unable to read env_file: ${(err as Error).message}`, { file: full });
  }
}

export function envFileConfigMaps(
  service: KService,
  name: string,
  project: ComposeProject,
  options: ConvertOptions,
): V1ConfigMap[] {
  const environment = service.compose.environment;
  const lookup = (key: string) => environment[key] ?? undefined;
  return service.compose.env_file.flatMap((envFile) => {
    const data = readEnvFile(project, envFile.path, options, lookup);
    if (!data) return [];
    const cmName = envFileConfigMapName(relativePath(project, envFile.path), service.name);
    const configMap: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: cmName, labels: selectorLabels(`${name}-${cmName}`) },
      ...(Object.keys(data).length > 0 ? { data } : {}),
    };
    return [configMap];
  });
}

export function containerEnv(
  service: KService,
  project: ComposeProject,
  options: ConvertOptions,
): { env: V1EnvVar[]; envFrom: V1EnvFromSource[] } {
  const fromFiles = new Set<string>();
  const envFrom: V1EnvFromSource[] = [];
  for (const envFile of service.compose.env_file) {
    const data = readEnvFile(project, envFile.path, options);
    if (!data) continue;
    envFrom.push({
      configMapRef: { name: envFileConfigMapName(relativePath(project, envFile.path), service.name) },
    });
    for (const key of Object.keys(data)) fromFiles.add(key);
  }
  const env: V1EnvVar[] = [];
  for (const [key, value] of Object.entries(service.compose.environment)) {
    if (value === null || fromFiles.has(key)) continue;
    // kompose rewrites secret paths in values to the Secret's (lower-case, dashed) name.
    const text = value.includes('run/secrets') ? resourceName(value) : value;
    env.push(text === '' ? { name: key } : { name: key, value: text });
  }
  env.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { env, envFrom };
}
