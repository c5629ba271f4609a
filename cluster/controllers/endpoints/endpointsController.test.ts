// Endpoints follow the pods a Service selects: ready and not-ready addresses, ports by name and
// number, hostnames for headless Services; selector-less Services are left alone.

import type { V1Endpoints, V1Service } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { endpointsController } from './endpointsController';
import { createRunningPod, setPodReady } from './testPods';

let h: ControllerHarness;

beforeEach(async () => {
  h = await startControllerHarness([endpointsController]);
});

afterEach(async () => {
  await h.stop();
});

const services = () => h.ctx.client.resource(resources.services);
const endpoints = () => h.ctx.client.resource(resources.endpoints);

async function service(name: string, spec: V1Service['spec'], labels?: Record<string, string>) {
  return services().create({ metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, spec });
}

async function endpointsWhere(name: string, check: (ep: V1Endpoints) => boolean): Promise<V1Endpoints> {
  return eventually(
    async () => {
      const ep = await endpoints().get('default', name);
      return ep && check(ep) ? ep : undefined;
    },
    10_000,
    `endpoints ${name}`,
  );
}

const count = (ep: V1Endpoints, field: 'addresses' | 'notReadyAddresses') =>
  (ep.subsets ?? []).reduce((n, s) => n + (s[field]?.length ?? 0), 0);

describe('endpoints controller', () => {
  it('lists ready and not-ready pods with ports resolved by name and number', async () => {
    await service(
      'web',
      {
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, targetPort: 'http' },
          { name: 'metrics', port: 9090, targetPort: 9100 },
        ],
      },
      { tier: 'front' },
    );
    const ports = [{ name: 'http', containerPort: 8080 }];
    await createRunningPod(h.ctx.client, {
      name: 'web-1',
      labels: { app: 'web' },
      ip: '10.244.1.5',
      ports,
      nodeName: 'n1',
    });
    await createRunningPod(h.ctx.client, {
      name: 'web-2',
      labels: { app: 'web' },
      ip: '10.244.1.6',
      ports,
      ready: false,
    });
    await createRunningPod(h.ctx.client, { name: 'other', labels: { app: 'db' }, ip: '10.244.1.7', ports });

    const ep = await endpointsWhere(
      'web',
      (e) => count(e, 'addresses') + count(e, 'notReadyAddresses') === 2,
    );
    expect(ep.metadata?.labels).toEqual({ tier: 'front' });
    expect(ep.subsets).toHaveLength(1);
    const subset = ep.subsets?.[0];
    expect(subset?.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9100, protocol: 'TCP' },
    ]);
    expect(subset?.addresses).toEqual([
      {
        ip: '10.244.1.5',
        nodeName: 'n1',
        targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: expect.any(String) },
      },
    ]);
    expect(subset?.notReadyAddresses?.map((a) => a.ip)).toEqual(['10.244.1.6']);

    await setPodReady(h.ctx.client, 'default', 'web-2', true);
    await endpointsWhere('web', (e) => count(e, 'addresses') === 2 && count(e, 'notReadyAddresses') === 0);
    await h.ctx.client.resource(resources.pods).delete('default', 'web-1');
    await endpointsWhere('web', (e) => count(e, 'addresses') === 1);
  });

  it('puts every pod among the ready addresses when the Service publishes not-ready ones', async () => {
    await service('peers', {
      selector: { app: 'peers' },
      publishNotReadyAddresses: true,
      ports: [{ port: 7000 }],
    });
    await createRunningPod(h.ctx.client, {
      name: 'p-1',
      labels: { app: 'peers' },
      ip: '10.244.2.1',
      ready: false,
    });
    const ep = await endpointsWhere('peers', (e) => count(e, 'addresses') === 1);
    expect(count(ep, 'notReadyAddresses')).toBe(0);
    expect(ep.subsets?.[0]?.ports).toEqual([{ port: 7000, protocol: 'TCP' }]);
  });

  it('gives a headless Service without ports its pods with their hostnames', async () => {
    await service('db', { selector: { app: 'db' }, clusterIP: 'None' });
    await createRunningPod(h.ctx.client, {
      name: 'db-0',
      labels: { app: 'db' },
      ip: '10.244.3.1',
      hostname: 'db-0',
      subdomain: 'db',
    });
    const ep = await endpointsWhere('db', (e) => count(e, 'addresses') === 1);
    expect(ep.metadata?.labels).toEqual({ 'service.kubernetes.io/headless': '' });
    expect(ep.subsets?.[0]?.addresses?.[0]?.hostname).toBe('db-0');
    expect(ep.subsets?.[0]?.ports).toBeUndefined();
  });

  it('leaves the Endpoints of a Service without selector alone and removes them with the Service', async () => {
    await service('external', { ports: [{ port: 5432 }] });
    await endpoints().create({
      metadata: { name: 'external', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '192.168.1.10' }], ports: [{ port: 5432 }] }],
    });
    await service('trigger', { selector: { app: 't' }, ports: [{ port: 1 }] });
    await endpointsWhere('trigger', () => true);
    expect((await endpoints().get('default', 'external'))?.subsets?.[0]?.addresses).toEqual([
      { ip: '192.168.1.10' },
    ]);

    await services().delete('default', 'trigger');
    await eventually(
      async () => (await endpoints().get('default', 'trigger')) === undefined,
      10_000,
      'removed',
    );
  });

  it('truncates beyond 1000 addresses and says so', async () => {
    await service('many', { selector: { app: 'many' }, ports: [{ port: 80 }] });
    await Promise.all(
      Array.from({ length: 1005 }, (_, i) =>
        createRunningPod(h.ctx.client, {
          name: `m-${i}`,
          labels: { app: 'many' },
          ip: `10.245.${i >> 8}.${i & 255}`,
        }),
      ),
    );
    const ep = await endpointsWhere('many', (e) => count(e, 'addresses') === 1000);
    expect(ep.metadata?.annotations?.['endpoints.kubernetes.io/over-capacity']).toBe('truncated');
  }, 60_000);
});
