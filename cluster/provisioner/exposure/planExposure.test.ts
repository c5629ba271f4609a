import type { V1Service, V1ServicePort } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { type ExposureInput, planExposure } from './planExposure';

const service = (
  name: string,
  type: string,
  ports: V1ServicePort[],
  created = '2025-01-01T00:00:00Z',
): V1Service => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: new Date(created) },
  spec: { type, ports },
});

const input = (services: V1Service[], overrides: Partial<ExposureInput> = {}): ExposureInput => ({
  cluster: 'kd',
  enabled: true,
  services,
  nodeIps: ['172.30.0.12', '172.30.0.11'],
  image: 'kubedesk-node:abc',
  network: 'kd-net',
  ...overrides,
});

describe('planExposure', () => {
  it('publishes LoadBalancer ports at their port and NodePort ports at their nodePort, to every node', () => {
    const plan = planExposure(
      input([
        service('lb', 'LoadBalancer', [{ name: 'http', port: 80, nodePort: 30080 }]),
        service('np', 'NodePort', [{ port: 53, protocol: 'UDP', nodePort: 30053 }]),
        service('internal', 'ClusterIP', [{ port: 8080 }]),
      ]),
    );
    expect(plan.forwarders.map((f) => [f.name, f.protocol, f.hostPort, f.targets, f.portName])).toEqual([
      ['kd-port-80-tcp', 'TCP', 80, ['172.30.0.11:30080', '172.30.0.12:30080'], 'http'],
      ['kd-port-30053-udp', 'UDP', 30053, ['172.30.0.11:30053', '172.30.0.12:30053'], '53'],
    ]);
    expect(plan.conflicts).toEqual([]);
  });

  it('gives a host port to the oldest Service and reports the younger one as a conflict', () => {
    const young = service('young', 'LoadBalancer', [{ port: 80, nodePort: 30001 }], '2025-02-01T00:00:00Z');
    const old = service('old', 'LoadBalancer', [{ port: 80, nodePort: 30002 }], '2025-01-01T00:00:00Z');
    const plan = planExposure(input([young, old]));
    expect(plan.forwarders.map((f) => f.service.name)).toEqual(['old']);
    expect(plan.conflicts).toEqual([
      {
        service: { namespace: 'default', name: 'young', uid: 'uid-young' },
        protocol: 'TCP',
        hostPort: 80,
        heldBy: { namespace: 'default', name: 'old', uid: 'uid-old' },
      },
    ]);
  });

  it('lets TCP and UDP share a port number, and a Service its own port twice without a conflict', () => {
    const dns = service('dns', 'LoadBalancer', [
      { name: 'udp', port: 53, protocol: 'UDP', nodePort: 30053 },
      { name: 'tcp', port: 53, protocol: 'TCP', nodePort: 30054 },
    ]);
    const plan = planExposure(input([dns]));
    expect(plan.forwarders.map((f) => f.name)).toEqual(['kd-port-53-udp', 'kd-port-53-tcp']);
    expect(plan.conflicts).toEqual([]);
  });

  it('plans nothing when the setting is off, and no forwarders without nodes (but still finds conflicts)', () => {
    const services = [
      service('a', 'NodePort', [{ port: 80, nodePort: 30080 }]),
      service('b', 'LoadBalancer', [{ port: 30080, nodePort: 31000 }], '2025-03-01T00:00:00Z'),
    ];
    expect(planExposure(input(services, { enabled: false }))).toEqual({
      forwarders: [],
      conflicts: [],
      unexposed: [],
    });
    const noNodes = planExposure(input(services, { nodeIps: [] }));
    expect(noNodes.forwarders).toEqual([]);
    expect(noNodes.conflicts.map((c) => c.service.name)).toEqual(['b']);
  });

  it('reports ports it cannot forward: SCTP, and LoadBalancers without node ports', () => {
    const plan = planExposure(
      input([
        service('sctp', 'NodePort', [{ port: 9, protocol: 'SCTP', nodePort: 30009 }]),
        service('bare', 'LoadBalancer', [{ port: 443 }]),
      ]),
    );
    expect(plan.forwarders).toEqual([]);
    expect(plan.unexposed.map((u) => [u.service.name, u.port])).toEqual([
      ['bare', 443],
      ['sctp', 9],
    ]);
  });

  it('skips Services being deleted, so their ports are freed at once', () => {
    const leaving = service('leaving', 'LoadBalancer', [{ port: 80, nodePort: 30080 }]);
    leaving.metadata = { ...leaving.metadata, deletionTimestamp: new Date() };
    expect(planExposure(input([leaving])).forwarders).toEqual([]);
  });

  it('changes a forwarder spec hash when its targets change, and only then', () => {
    const svc = service('lb', 'LoadBalancer', [{ port: 80, nodePort: 30080 }]);
    const [first] = planExposure(input([svc])).forwarders;
    const [same] = planExposure(input([svc], { nodeIps: ['172.30.0.11', '172.30.0.12'] })).forwarders;
    const [more] = planExposure(
      input([svc], { nodeIps: ['172.30.0.11', '172.30.0.12', '172.30.0.13'] }),
    ).forwarders;
    expect(same?.specHash).toBe(first?.specHash);
    expect(more?.specHash).not.toBe(first?.specHash);
  });
});
