import type { V1ConfigMap, V1Container, V1Pod, V1Secret } from '@kubernetes/client-node';
import { expandVars } from './commandArgs';

// A container's environment as the kubelet builds it (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables):
// envFrom first (prefix applied), then env in order, later entries overriding earlier ones and able to
// reference earlier ones with $(VAR). A missing non-optional source is a CreateContainerConfigError.

export interface EnvSources {
  configMaps: Map<string, V1ConfigMap>;
  secrets: Map<string, V1Secret>;
  nodeName: string;
  hostIP: string;
  podIP: string;
}

export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
}

const decode = (value: string) => Buffer.from(value, 'base64').toString('utf8');

/** Reads a downward-API field path such as metadata.labels['app'] or status.podIP. */
export function podFieldValue(
  pod: V1Pod,
  path: string,
  sources: Pick<EnvSources, 'nodeName' | 'hostIP' | 'podIP'>,
): string {
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (keyed) {
    const map = keyed[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations;
    return map?.[keyed[2] as string] ?? '';
  }
  const flat = (map?: Record<string, string>) =>
    Object.entries(map ?? {})
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join('\n');
  switch (path) {
    case 'metadata.name':
      return pod.metadata?.name ?? '';
    case 'metadata.namespace':
      return pod.metadata?.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata?.uid ?? '';
    case 'metadata.labels':
      return flat(pod.metadata?.labels);
    case 'metadata.annotations':
      return flat(pod.metadata?.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? sources.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? 'default';
    case 'status.hostIP':
    case 'status.hostIPs':
      return sources.hostIP;
    case 'status.podIP':
    case 'status.podIPs':
      return sources.podIP;
    default:
      throw new ContainerConfigError(`unsupported fieldRef fieldPath "${path}"`);
  }
}

const memoryUnits: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  m: 1e-3,
};

/** Parses a Kubernetes quantity ("250m", "64Mi", "1.5") into a number of base units. */
export function parseQuantity(quantity: string): number {
  const match = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(quantity.trim());
  if (!match) throw new ContainerConfigError(`invalid quantity "${quantity}"`);
  return Number(match[1]) * (memoryUnits[match[2] ?? ''] ?? 1);
}

export function resourceFieldValue(container: V1Container, resource: string, divisor = '1'): string {
  const [kind, name] = resource.split('.') as [string, string];
  const source = kind === 'limits' ? container.resources?.limits : container.resources?.requests;
  const raw = source?.[name];
  // Without a limit the kubelet reports node allocatable; "0" keeps this simple and visible.
  if (raw === undefined) return '0';
  const value = parseQuantity(String(raw)) / parseQuantity(divisor);
  return String(Math.ceil(value));
}

function fromConfigMap(
  sources: EnvSources,
  name: string,
  optional: boolean | undefined,
): Record<string, string> | undefined {
  const cm = sources.configMaps.get(name);
  if (!cm) {
    if (optional) return undefined;
    throw new ContainerConfigError(`configmap "${name}" not found`);
  }
  return { ...(cm.data ?? {}) };
}

function fromSecret(
  sources: EnvSources,
  name: string,
  optional: boolean | undefined,
): Record<string, string> | undefined {
  const secret = sources.secrets.get(name);
  if (!secret) {
    if (optional) return undefined;
    throw new ContainerConfigError(`secret "${name}" not found`);
  }
  return Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, decode(v)]));
}

export function resolveEnv(pod: V1Pod, container: V1Container, sources: EnvSources): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const data = from.configMapRef
      ? fromConfigMap(sources, from.configMapRef.name ?? '', from.configMapRef.optional)
      : from.secretRef
        ? fromSecret(sources, from.secretRef.name ?? '', from.secretRef.optional)
        : undefined;
    for (const [key, value] of Object.entries(data ?? {})) env[`${from.prefix ?? ''}${key}`] = value;
  }
  for (const item of container.env ?? []) {
    const ref = item.valueFrom;
    if (!ref) {
      env[item.name] = expandVars(item.value ?? '', env);
    } else if (ref.configMapKeyRef) {
      const { name = '', key, optional } = ref.configMapKeyRef;
      const data = fromConfigMap(sources, name, optional);
      if (data && key in data) env[item.name] = data[key] as string;
      else if (data && !optional)
        throw new ContainerConfigError(
          `couldn't find key ${key} in ConfigMap ${pod.metadata?.namespace}/${name}`,
        );
    } else if (ref.secretKeyRef) {
      const { name = '', key, optional } = ref.secretKeyRef;
      const data = fromSecret(sources, name, optional);
      if (data && key in data) env[item.name] = data[key] as string;
      else if (data && !optional)
        throw new ContainerConfigError(
          `couldn't find key ${key} in Secret ${pod.metadata?.namespace}/${name}`,
        );
    } else if (ref.fieldRef) {
      env[item.name] = podFieldValue(pod, ref.fieldRef.fieldPath, sources);
    } else if (ref.resourceFieldRef) {
      const target = ref.resourceFieldRef.containerName
        ? (pod.spec?.containers.find((c) => c.name === ref.resourceFieldRef?.containerName) ?? container)
        : container;
      env[item.name] = resourceFieldValue(
        target,
        ref.resourceFieldRef.resource,
        String(ref.resourceFieldRef.divisor ?? '1'),
      );
    }
  }
  return env;
}
