import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { servicePorts } from './servicePorts';

const service = (spec: V1Service['spec'], status?: V1Service['status']): V1Service => ({
  metadata: { name: 'web', namespace: 'default' },
  spec,
  ...(status ? { status } : {}),
});

const slice = (
  endpoints: V1EndpointSlice['endpoints'],
  ports = [{ name: 'http', port: 8080, protocol: 'TCP' }],
) =>
  ({
    metadata: { name: 'web-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints,
    ports,
  }) as V1EndpointSlice;

describe('servicePorts', () => {
  it('matches slice ports to Service ports by name, keeping ready endpoints and marking local ones', () => {
    const svc = service({ clusterIP: '10.96.1.1', ports: [{ name: 'http', port: 80, targetPort: 'web' }] });
    const ports = servicePorts(
      [svc],
      [
        slice([
          { addresses: ['10.244.1.2'], conditions: { ready: true }, nodeName: 'n1' },
          { addresses: ['10.244.2.2'], nodeName: 'n2' },
          { addresses: ['10.244.2.3'], conditions: { ready: false }, nodeName: 'n2' },
        ]),
      ],
      'n1',
    );
    expect(ports).toEqual([
      {
        id: 'default/web:http',
        protocol: 'TCP',
        port: 80,
        clusterIPs: ['10.96.1.1'],
        externalIPs: [],
        endpoints: [
          { ip: '10.244.1.2', port: 8080, local: true },
          { ip: '10.244.2.2', port: 8080, local: false },
        ],
        internalLocal: false,
        externalLocal: false,
      },
    ]);
  });

  it('carries node ports, load balancer ingress IPs, traffic policies and ClientIP affinity', () => {
    const svc = service(
      {
        type: 'LoadBalancer',
        clusterIP: '10.96.1.1',
        ports: [{ name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 }],
        externalTrafficPolicy: 'Local',
        internalTrafficPolicy: 'Local',
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
      },
      { loadBalancer: { ingress: [{ ip: '172.30.0.200' }] } },
    );
    const [port] = servicePorts([svc], [], 'n1');
    expect(port).toMatchObject({
      protocol: 'UDP',
      nodePort: 30053,
      externalIPs: ['172.30.0.200'],
      internalLocal: true,
      externalLocal: true,
      affinitySeconds: 60,
      endpoints: [],
    });
  });

  it('skips headless and ExternalName Services', () => {
    expect(
      servicePorts(
        [
          service({ clusterIP: 'None', ports: [{ port: 80 }] }),
          service({ type: 'ExternalName', externalName: 'example.com', ports: [{ port: 80 }] }),
        ],
        [],
        'n1',
      ),
    ).toEqual([]);
  });
});
