import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { slicesByService } from '../slicesByService';

// Pure: what the proxy must program, one entry per Service port, from the Services and their
// EndpointSlices: the addresses it answers on and the ready endpoints behind it. EndpointSlice
// ports already carry resolved numbers (named target ports are resolved per pod by the
// EndpointSlice controller), and are matched to Service ports by name, as kube-proxy does.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ProxyEndpoint {
  ip: string;
  port: number;
  /** On this node (the endpoint's nodeName). */
  local: boolean;
}

export interface ServicePort {
  /** `namespace/name:portName`, the identity chain names are derived from. */
  id: string;
  protocol: Protocol;
  port: number;
  clusterIPs: string[];
  nodePort?: number;
  /** spec.externalIPs and status.loadBalancer.ingress IPs. */
  externalIPs: string[];
  endpoints: ProxyEndpoint[];
  internalLocal: boolean;
  externalLocal: boolean;
  /** ClientIP session affinity timeout, when affinity is on. */
  affinitySeconds?: number;
}

const defaultAffinitySeconds = 10800;

function readyEndpoints(
  slices: readonly V1EndpointSlice[],
  portName: string,
  protocol: Protocol,
  nodeName: string,
): ProxyEndpoint[] {
  const seen = new Map<string, ProxyEndpoint>();
  for (const slice of slices) {
    const port = slice.ports?.find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol);
    if (port?.port === undefined) continue;
    for (const ep of slice.endpoints) {
      // An unset condition means ready (discovery/v1).
      if (ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses) {
        const key = `${ip}:${port.port}`;
        if (!seen.has(key)) seen.set(key, { ip, port: port.port, local: ep.nodeName === nodeName });
      }
    }
  }
  return [...seen.values()].sort((a, b) => a.ip.localeCompare(b.ip) || a.port - b.port);
}

/** Every proxied Service port of the cluster, as seen from node `nodeName`. */
export function servicePorts(
  services: readonly V1Service[],
  slices: readonly V1EndpointSlice[],
  nodeName: string,
): ServicePort[] {
  const bySvc = slicesByService(slices);
  const out: ServicePort[] = [];
  for (const svc of services) {
    const spec = svc.spec;
    if (!spec || spec.type === 'ExternalName') continue;
    const clusterIPs = (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).filter(
      (ip) => ip !== 'None' && ip !== '' && !ip.includes(':'),
    );
    const externalIPs = [
      ...(spec.externalIPs ?? []),
      ...(spec.type === 'LoadBalancer'
        ? (svc.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []))
        : []),
    ];
    const key = `${svc.metadata?.namespace}/${svc.metadata?.name}`;
    const affinity = spec.sessionAffinity === 'ClientIP';
    for (const port of spec.ports ?? []) {
      const protocol = (port.protocol ?? 'TCP') as Protocol;
      const portName = port.name ?? '';
      const nodePort = spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? port.nodePort : undefined;
      if (clusterIPs.length === 0 && !nodePort && externalIPs.length === 0) continue;
      out.push({
        id: `${key}:${portName}`,
        protocol,
        port: port.port,
        clusterIPs,
        ...(nodePort ? { nodePort } : {}),
        externalIPs,
        endpoints: readyEndpoints(bySvc.get(key) ?? [], portName, protocol, nodeName),
        internalLocal: spec.internalTrafficPolicy === 'Local',
        externalLocal: spec.externalTrafficPolicy === 'Local',
        ...(affinity
          ? {
              affinitySeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? defaultAffinitySeconds,
            }
          : {}),
      });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id) || a.protocol.localeCompare(b.protocol));
}
