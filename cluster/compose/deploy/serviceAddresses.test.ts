import { describe, expect, it } from 'vitest';
import { serviceAddresses } from './serviceAddresses';

describe('serviceAddresses', () => {
  it('gives ClusterIP:port inside, and a localhost URL for NodePort and LoadBalancer Services', () => {
    const meta = { name: 'web', namespace: 'shop' };
    expect(
      serviceAddresses({ metadata: meta, spec: { clusterIP: '10.96.0.20', ports: [{ port: 8080 }] } }),
    ).toEqual(['10.96.0.20:8080']);
    expect(
      serviceAddresses({
        metadata: meta,
        spec: { type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ port: 80, nodePort: 30080 }] },
      }),
    ).toEqual(['http://localhost:30080', '10.96.0.20:80']);
    expect(
      serviceAddresses({
        metadata: meta,
        spec: { type: 'LoadBalancer', clusterIP: '10.96.0.20', ports: [{ port: 80, nodePort: 31000 }] },
      }),
    ).toEqual(['http://localhost:80', '10.96.0.20:80']);
    expect(
      serviceAddresses({
        metadata: meta,
        spec: {
          type: 'LoadBalancer',
          clusterIP: '10.96.0.21',
          ports: [{ port: 53, protocol: 'UDP', nodePort: 31053 }],
        },
      }),
    ).toEqual(['localhost:53/udp', '10.96.0.21:53']);
    expect(
      serviceAddresses({ metadata: meta, spec: { clusterIP: 'None', ports: [{ port: 5432 }] } }),
    ).toEqual(['web.shop.svc (headless)']);
  });
});
