import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podServiceEnv, serviceEnvVars } from './serviceEnv';

const svc = (name: string, namespace: string, spec: V1Service['spec']): V1Service => ({
  metadata: { name, namespace },
  spec,
});
const kubernetes = svc('kubernetes', 'default', {
  clusterIP: '10.96.0.1',
  ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
});
const pod = (enableServiceLinks?: boolean): V1Pod => ({
  metadata: { name: 'p', namespace: 'shop' },
  spec: { containers: [], ...(enableServiceLinks === undefined ? {} : { enableServiceLinks }) },
});

describe('serviceEnvVars', () => {
  it('writes the host, port, named port and docker-link variables of every port', () => {
    const env = serviceEnvVars(
      svc('redis-primary', 'shop', {
        clusterIP: '10.96.3.4',
        ports: [
          { name: 'redis', port: 6379, protocol: 'TCP' },
          { name: 'stats', port: 9121, protocol: 'UDP' },
        ],
      }),
    );
    expect(env).toEqual({
      REDIS_PRIMARY_SERVICE_HOST: '10.96.3.4',
      REDIS_PRIMARY_SERVICE_PORT: '6379',
      REDIS_PRIMARY_SERVICE_PORT_REDIS: '6379',
      REDIS_PRIMARY_SERVICE_PORT_STATS: '9121',
      REDIS_PRIMARY_PORT: 'tcp://10.96.3.4:6379',
      REDIS_PRIMARY_PORT_6379_TCP: 'tcp://10.96.3.4:6379',
      REDIS_PRIMARY_PORT_6379_TCP_PROTO: 'tcp',
      REDIS_PRIMARY_PORT_6379_TCP_PORT: '6379',
      REDIS_PRIMARY_PORT_6379_TCP_ADDR: '10.96.3.4',
      REDIS_PRIMARY_PORT_9121_UDP: 'udp://10.96.3.4:9121',
      REDIS_PRIMARY_PORT_9121_UDP_PROTO: 'udp',
      REDIS_PRIMARY_PORT_9121_UDP_PORT: '9121',
      REDIS_PRIMARY_PORT_9121_UDP_ADDR: '10.96.3.4',
    });
  });
});

describe('podServiceEnv', () => {
  const shop = [
    svc('web', 'shop', { clusterIP: '10.96.5.5', ports: [{ port: 80 }] }),
    svc('db', 'shop', { clusterIP: 'None', ports: [{ port: 5432 }] }),
  ];

  it('covers the namespace’s Services with a cluster IP, plus the kubernetes Service', () => {
    const env = podServiceEnv(pod(), shop, kubernetes);
    expect(env.WEB_SERVICE_HOST).toBe('10.96.5.5');
    expect(env.KUBERNETES_SERVICE_HOST).toBe('10.96.0.1');
    expect(env.KUBERNETES_SERVICE_PORT_HTTPS).toBe('443');
    expect(Object.keys(env).some((k) => k.startsWith('DB_'))).toBe(false);
  });

  it('keeps only the kubernetes Service when enableServiceLinks is false', () => {
    const env = podServiceEnv(pod(false), shop, kubernetes);
    expect(Object.keys(env).every((k) => k.startsWith('KUBERNETES_'))).toBe(true);
    expect(env.KUBERNETES_SERVICE_PORT).toBe('443');
  });
});
