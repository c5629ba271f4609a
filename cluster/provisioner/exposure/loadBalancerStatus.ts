import { isDeepStrictEqual } from 'node:util';
import type { V1LoadBalancerStatus, V1Service } from '@kubernetes/client-node';
import type { ForwarderPlan } from './planExposure';

// What a Service's status.loadBalancer says: a LoadBalancer Service whose every port is published
// reads `ingress: [{hostname: localhost}]`, as Docker Desktop's Kubernetes reports it. A hostname
// rather than `ip: 127.0.0.1` because proxies program rules for ingress IPs (kube-proxy does), and
// 127.0.0.1 inside a node is the node's own loopback. Anything else (pending, a port refused,
// exposure off, another type) reads `{}`, like a cloud load balancer not provisioned yet.

export const localhostIngress: V1LoadBalancerStatus = { ingress: [{ hostname: 'localhost' }] };

export function desiredLoadBalancerStatus(svc: V1Service, running: ForwarderPlan[]): V1LoadBalancerStatus {
  if (svc.spec?.type !== 'LoadBalancer') return {};
  const uid = svc.metadata?.uid;
  const ports = svc.spec.ports ?? [];
  const published = (port: number, protocol: string) =>
    running.some((f) => f.service.uid === uid && f.hostPort === port && f.protocol === protocol);
  const all = ports.length > 0 && ports.every((p) => published(p.port, p.protocol ?? 'TCP'));
  return all ? localhostIngress : {};
}

/** True when the Service's status already says what it should. */
export const loadBalancerStatusIs = (svc: V1Service, desired: V1LoadBalancerStatus): boolean =>
  isDeepStrictEqual(svc.status?.loadBalancer?.ingress ?? [], desired.ingress ?? []);
