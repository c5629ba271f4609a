import type { V1Service } from '@kubernetes/client-node';

// Where a Service can be reached: inside the cluster at ClusterIP:port, and from this computer at
// localhost:<port> for NodePort and LoadBalancer Services (the host publishes those on localhost,
// see provisioner/exposure), written as a URL a person can open; UDP ports are marked as such.

export function serviceAddresses(service: V1Service): string[] {
  const spec = service.spec;
  if (!spec) return [];
  const ports = spec.ports ?? [];
  const name = service.metadata?.name ?? '';
  const namespace = service.metadata?.namespace ?? 'default';
  if (spec.type === 'ExternalName') return spec.externalName ? [spec.externalName] : [];
  const inside =
    !spec.clusterIP || spec.clusterIP === 'None'
      ? [`${name}.${namespace}.svc (headless)`]
      : ports.map((p) => `${spec.clusterIP}:${p.port}`);
  const local = (port: number, protocol = 'TCP') =>
    protocol === 'TCP' ? `http://localhost:${port}` : `localhost:${port}/${protocol.toLowerCase()}`;
  const outside =
    spec.type === 'LoadBalancer'
      ? ports.map((p) => local(p.port, p.protocol))
      : spec.type === 'NodePort'
        ? ports.filter((p) => p.nodePort).map((p) => local(p.nodePort as number, p.protocol))
        : [];
  return [...outside, ...inside];
}
