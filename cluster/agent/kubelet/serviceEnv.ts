import type { CoreV1Api, V1Pod, V1Service } from '@kubernetes/client-node';

// The Service environment variables the kubelet gives every container
// (pkg/kubelet/envvars/envvars.go FromServices, kubelet_pods.go getServiceEnvVarMap): for each
// Service of the pod's namespace with a cluster IP (when enableServiceLinks, the default), and for
// the `kubernetes` Service always,
//   WEB_SERVICE_HOST=10.96.3.4  WEB_SERVICE_PORT=80  WEB_SERVICE_PORT_HTTP=80
//   WEB_PORT=tcp://10.96.3.4:80  WEB_PORT_80_TCP=tcp://10.96.3.4:80  WEB_PORT_80_TCP_PROTO=tcp
//   WEB_PORT_80_TCP_PORT=80  WEB_PORT_80_TCP_ADDR=10.96.3.4
// Container `env` entries override these.

const envName = (name: string) => name.toUpperCase().replaceAll('-', '_');

function hasClusterIP(svc: V1Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

export function serviceEnvVars(svc: V1Service): Record<string, string> {
  const env: Record<string, string> = {};
  const name = envName(svc.metadata?.name ?? '');
  const ip = svc.spec?.clusterIP ?? '';
  const ports = svc.spec?.ports ?? [];
  const first = ports[0];
  if (!first) return env;
  env[`${name}_SERVICE_HOST`] = ip;
  env[`${name}_SERVICE_PORT`] = String(first.port);
  for (const port of ports)
    if (port.name) env[`${name}_SERVICE_PORT_${envName(port.name)}`] = String(port.port);
  const url = (protocol: string, port: number) => `${protocol.toLowerCase()}://${ip}:${port}`;
  env[`${name}_PORT`] = url(first.protocol ?? 'TCP', first.port);
  for (const port of ports) {
    const protocol = port.protocol ?? 'TCP';
    const prefix = `${name}_PORT_${port.port}_${protocol.toUpperCase()}`;
    env[prefix] = url(protocol, port.port);
    env[`${prefix}_PROTO`] = protocol.toLowerCase();
    env[`${prefix}_PORT`] = String(port.port);
    env[`${prefix}_ADDR`] = ip;
  }
  return env;
}

/** The variables for a pod in `namespace`, given that namespace's Services and the `kubernetes` one. */
export function podServiceEnv(
  pod: V1Pod,
  namespaceServices: readonly V1Service[],
  kubernetesService: V1Service | undefined,
): Record<string, string> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const chosen = new Map<string, V1Service>();
  if (pod.spec?.enableServiceLinks !== false) {
    for (const svc of namespaceServices)
      if (hasClusterIP(svc) && svc.metadata?.namespace === namespace)
        chosen.set(svc.metadata?.name ?? '', svc);
  }
  // The API server's Service is always there; a namespace's own `kubernetes` Service shadows it.
  if (kubernetesService && hasClusterIP(kubernetesService) && !chosen.has('kubernetes'))
    chosen.set('kubernetes', kubernetesService);
  const env: Record<string, string> = {};
  for (const svc of [...chosen.values()].sort((a, b) =>
    (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
  ))
    Object.assign(env, serviceEnvVars(svc));
  return env;
}

/** Reads the Services the pod's environment is built from. */
export async function fetchPodServiceEnv(core: CoreV1Api, pod: V1Pod): Promise<Record<string, string>> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const [list, kubernetes] = await Promise.all([
    pod.spec?.enableServiceLinks === false
      ? Promise.resolve({ items: [] as V1Service[] })
      : core.listNamespacedService({ namespace }),
    core.readNamespacedService({ name: 'kubernetes', namespace: 'default' }).catch(() => undefined),
  ]);
  return podServiceEnv(pod, list.items, kubernetes);
}
