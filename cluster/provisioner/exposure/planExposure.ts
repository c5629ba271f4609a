import { createHash } from 'node:crypto';
import type { V1Service } from '@kubernetes/client-node';

// Pure planning of host exposure: which forwarder containers a cluster needs for its Services.
// A LoadBalancer Service is published at localhost:<port>, a NodePort Service at
// localhost:<nodePort>; each forwarder relays to every node's ip:nodePort (the node's proxy takes
// it from there). Two Services wanting one host port: the older keeps it, the other is a conflict.

export interface ServiceRef {
  namespace: string;
  name: string;
  uid: string;
}

export type ExposedProtocol = 'TCP' | 'UDP';

export interface ForwarderPlan {
  /** Container name, one per host port and protocol of the cluster. */
  name: string;
  cluster: string;
  service: ServiceRef;
  /** The Service port's name or number, for messages. */
  portName: string;
  protocol: ExposedProtocol;
  hostPort: number;
  nodePort: number;
  /** `nodeIp:nodePort` for every node. */
  targets: string[];
  image: string;
  network: string;
  /** Digest of everything the container is made from; a container with another one is replaced. */
  specHash: string;
}

export interface PortConflict {
  service: ServiceRef;
  protocol: ExposedProtocol;
  hostPort: number;
  heldBy: ServiceRef;
}

export interface UnexposedPort {
  service: ServiceRef;
  port: number;
  reason: string;
}

export interface ExposurePlan {
  forwarders: ForwarderPlan[];
  conflicts: PortConflict[];
  unexposed: UnexposedPort[];
}

export interface ExposureInput {
  cluster: string;
  /** The setting "Expose LoadBalancer services on localhost". */
  enabled: boolean;
  services: V1Service[];
  /** Addresses of the cluster's nodes on the cluster network. */
  nodeIps: string[];
  /** Image the forwarders run (the node image, which has Node.js). */
  image: string;
  network: string;
}

export const forwarderName = (cluster: string, protocol: ExposedProtocol, hostPort: number) =>
  `${cluster}-port-${hostPort}-${protocol.toLowerCase()}`;

export const serviceRef = (svc: V1Service): ServiceRef => ({
  namespace: svc.metadata?.namespace ?? 'default',
  name: svc.metadata?.name ?? '',
  uid: svc.metadata?.uid ?? '',
});

/** Services that want host ports, oldest first, so the first claim on a port is the stable one. */
function exposable(services: V1Service[]): V1Service[] {
  const created = (svc: V1Service) => new Date(svc.metadata?.creationTimestamp ?? 0).getTime();
  return services
    .filter(
      (svc) =>
        (svc.spec?.type === 'LoadBalancer' || svc.spec?.type === 'NodePort') &&
        !svc.metadata?.deletionTimestamp,
    )
    .sort(
      (a, b) =>
        created(a) - created(b) ||
        `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(
          `${b.metadata?.namespace}/${b.metadata?.name}`,
        ),
    );
}

const digest = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

export function planExposure(input: ExposureInput): ExposurePlan {
  const plan: ExposurePlan = { forwarders: [], conflicts: [], unexposed: [] };
  if (!input.enabled) return plan;
  const nodeIps = [...input.nodeIps].sort();
  const taken = new Map<string, ServiceRef>();
  for (const svc of exposable(input.services)) {
    const service = serviceRef(svc);
    const loadBalancer = svc.spec?.type === 'LoadBalancer';
    for (const port of svc.spec?.ports ?? []) {
      const protocol = port.protocol ?? 'TCP';
      if (protocol !== 'TCP' && protocol !== 'UDP') {
        plan.unexposed.push({
          service,
          port: port.port,
          reason: `${protocol} cannot be forwarded from the host`,
        });
        continue;
      }
      if (!port.nodePort) {
        plan.unexposed.push({
          service,
          port: port.port,
          reason: 'the port has no nodePort (allocateLoadBalancerNodePorts is false)',
        });
        continue;
      }
      const hostPort = loadBalancer ? port.port : port.nodePort;
      const key = `${protocol}/${hostPort}`;
      const holder = taken.get(key);
      if (holder) {
        if (holder.uid !== service.uid) plan.conflicts.push({ service, protocol, hostPort, heldBy: holder });
        continue;
      }
      taken.set(key, service);
      if (nodeIps.length === 0) continue;
      const targets = nodeIps.map((ip) => `${ip}:${port.nodePort}`);
      const name = forwarderName(input.cluster, protocol, hostPort);
      plan.forwarders.push({
        name,
        cluster: input.cluster,
        service,
        portName: port.name || String(port.port),
        protocol,
        hostPort,
        nodePort: port.nodePort,
        targets,
        image: input.image,
        network: input.network,
        specHash: digest([name, service.uid, protocol, hostPort, targets, input.image, input.network]),
      });
    }
  }
  return plan;
}
