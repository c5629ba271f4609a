// EndpointSlices follow the pods a Service selects: labels, owner, conditions, port groups, at
// most 100 endpoints per slice, and a placeholder while nothing is selected.

import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRunningPod, setPodReady } from '../endpoints/testPods';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { endpointSliceController } from './endpointSliceController';

let h: ControllerHarness;

beforeEach(async () => {
  h = await startControllerHarness([endpointSliceController]);
});

afterEach(async () => {
  await h.stop();
});

const services = () => h.ctx.client.resource(resources.services);
const pods = () => h.ctx.client.resource(resources.pods);

async function service(name: string, spec: V1Service['spec']): Promise<V1Service> {
  return services().create({ metadata: { name, namespace: 'default', labels: { team: 'a' } }, spec });
}

async function slicesOf(service: string): Promise<V1EndpointSlice[]> {
  const { items } = await h.ctx.client.resource(resources.endpointSlices).list('default');
  return items.filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === service);
}

async function slicesWhere(service: string, check: (s: V1EndpointSlice[]) => boolean) {
  return eventually(
    async () => {
      const slices = await slicesOf(service);
      return check(slices) ? slices : undefined;
    },
    20_000,
    `slices of ${service}`,
  );
}

const endpointCount = (slices: V1EndpointSlice[]) => slices.reduce((n, s) => n + s.endpoints.length, 0);

describe('endpointslice controller', () => {
  it('publishes selected pods with their conditions in a labelled, owned slice', async () => {
    const svc = await service('web', {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    });
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
    await createRunningPod(h.ctx.client, {
      name: 'web-3',
      labels: { app: 'web' },
      ip: '10.244.1.7',
      ports,
      finalizers: ['example.com/hold'],
    });
    await pods().delete('default', 'web-3');

    const [slice] = await slicesWhere(
      'web',
      (s) =>
        s.length === 1 &&
        endpointCount(s) === 3 &&
        s[0]?.endpoints.some((e) => e.targetRef?.name === 'web-3' && e.conditions?.terminating) === true,
    );
    expect(slice?.addressType).toBe('IPv4');
    expect(slice?.metadata?.generateName).toBe('web-');
    expect(slice?.metadata?.labels).toEqual({
      team: 'a',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice?.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: svc.metadata?.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(slice?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const byName = new Map(slice?.endpoints.map((e) => [e.targetRef?.name, e]));
    expect(byName.get('web-1')).toEqual({
      addresses: ['10.244.1.5'],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: 'n1',
      targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: expect.any(String) },
    });
    expect(byName.get('web-2')?.conditions).toEqual({ ready: false, serving: false, terminating: false });
    expect(byName.get('web-3')?.conditions).toEqual({ ready: false, serving: true, terminating: true });

    await setPodReady(h.ctx.client, 'default', 'web-2', true);
    await slicesWhere(
      'web',
      (s) => s[0]?.endpoints.find((e) => e.targetRef?.name === 'web-2')?.conditions?.ready === true,
    );
  });

  it('keeps at most 100 endpoints per slice', async () => {
    await service('big', { selector: { app: 'big' }, ports: [{ port: 80 }] });
    for (let i = 0; i < 250; i++) {
      await createRunningPod(h.ctx.client, {
        name: `big-${i}`,
        labels: { app: 'big' },
        ip: `10.245.${i >> 8}.${i & 255}`,
      });
    }
    const slices = await slicesWhere('big', (s) => endpointCount(s) === 250);
    expect(slices.map((s) => s.endpoints.length).sort((a, b) => a - b)).toEqual([50, 100, 100]);
    for (let i = 0; i < 120; i++) await pods().delete('default', `big-${i}`);
    const fewer = await slicesWhere('big', (s) => endpointCount(s) === 130);
    expect(fewer.every((s) => s.endpoints.length <= 100)).toBe(true);
  }, 60_000);

  it('groups pods whose named port resolves differently into separate slices', async () => {
    await service('mixed', {
      selector: { app: 'mixed' },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    });
    await createRunningPod(h.ctx.client, {
      name: 'old',
      labels: { app: 'mixed' },
      ip: '10.244.4.1',
      ports: [{ name: 'http', containerPort: 8080 }],
    });
    await createRunningPod(h.ctx.client, {
      name: 'new',
      labels: { app: 'mixed' },
      ip: '10.244.4.2',
      ports: [{ name: 'http', containerPort: 9090 }],
    });
    const slices = await slicesWhere('mixed', (s) => s.length === 2 && endpointCount(s) === 2);
    expect(slices.map((s) => s.ports?.[0]?.port).sort()).toEqual([8080, 9090]);
  });

  it('keeps one empty placeholder while nothing is selected, and replaces it once pods come', async () => {
    await service('idle', { selector: { app: 'idle' }, ports: [{ port: 80 }] });
    const [placeholder] = await slicesWhere('idle', (s) => s.length === 1);
    expect(placeholder?.endpoints).toEqual([]);
    expect(placeholder?.ports ?? []).toEqual([]);
    await createRunningPod(h.ctx.client, { name: 'idle-1', labels: { app: 'idle' }, ip: '10.244.5.1' });
    const [slice] = await slicesWhere('idle', (s) => s.length === 1 && endpointCount(s) === 1);
    expect(slice?.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
  });

  it('marks headless Services and leaves Services without selector alone', async () => {
    await service('db', { selector: { app: 'db' }, clusterIP: 'None' });
    await service('external', { ports: [{ port: 5432 }] });
    await createRunningPod(h.ctx.client, {
      name: 'db-0',
      labels: { app: 'db' },
      ip: '10.244.6.1',
      hostname: 'db-0',
      subdomain: 'db',
    });
    const [slice] = await slicesWhere('db', (s) => endpointCount(s) === 1);
    expect(slice?.metadata?.labels?.['service.kubernetes.io/headless']).toBe('');
    expect(slice?.endpoints[0]?.hostname).toBe('db-0');
    expect(await slicesOf('external')).toEqual([]);
  });
});
