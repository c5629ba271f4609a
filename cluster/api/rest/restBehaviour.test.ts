// Behaviour beyond the basic verbs: create-on-update, write races, propagation policies, resources
// served in two shapes, Service address allocation.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '../testing/testApiServer';

let server: TestApiServer;
const cms = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  server = await startTestApiServer();
});

afterAll(async () => {
  await server.stop();
});

describe('create on update', () => {
  it('creates leases with PUT but not configmaps', async () => {
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l' },
      spec: { holderIdentity: 'me' },
    };
    const created = await server.request('PUT', '/apis/coordination.k8s.io/v1/namespaces/default/leases/l', {
      body: lease,
    });
    expect(created.status).toBe(201);
    expect(created.body.spec.holderIdentity).toBe('me');
    const missing = await server.request('PUT', `${cms}/never`, { body: { metadata: { name: 'never' } } });
    expect(missing.status).toBe(404);
  });
});

describe('concurrent writes', () => {
  it('retries patches that race instead of answering 409', async () => {
    await server.request('POST', cms, { body: { metadata: { name: 'race' } } });
    const patches = Array.from({ length: 10 }, (_, i) =>
      server.request('PATCH', `${cms}/race`, {
        body: { metadata: { labels: { [`l${i}`]: 'x' } } },
        contentType: 'application/merge-patch+json',
      }),
    );
    expect((await Promise.all(patches)).map((r) => r.status)).toEqual(Array(10).fill(200));
    const labels = (await server.request('GET', `${cms}/race`)).body.metadata.labels;
    expect(Object.keys(labels)).toHaveLength(10);
  });
});

describe('propagation policies', () => {
  async function ownerWithDependent(name: string) {
    const owner = (await server.request('POST', cms, { body: { metadata: { name } } })).body;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name, uid: owner.metadata.uid };
    await server.request('POST', cms, {
      body: { metadata: { name: `${name}-child`, ownerReferences: [ref] } },
    });
  }

  it('deletes dependents first with Foreground', async () => {
    await ownerWithDependent('fg');
    const marked = await server.request('DELETE', `${cms}/fg`, { body: { propagationPolicy: 'Foreground' } });
    expect(marked.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    await expect.poll(async () => (await server.request('GET', `${cms}/fg`)).status).toBe(404);
    expect((await server.request('GET', `${cms}/fg-child`)).status).toBe(404);
  });

  it('keeps dependents without the owner reference with Orphan', async () => {
    await ownerWithDependent('orph');
    await server.request('DELETE', `${cms}/orph`, { body: { propagationPolicy: 'Orphan' } });
    await expect.poll(async () => (await server.request('GET', `${cms}/orph`)).status).toBe(404);
    const child = await server.request('GET', `${cms}/orph-child`);
    expect(child.status).toBe(200);
    expect(child.body.metadata.ownerReferences).toBeUndefined();
  });
});

describe('resources served in two shapes', () => {
  it('shows an events.k8s.io Event as a core Event', async () => {
    const event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e1' },
      eventTime: '2026-01-01T00:00:00.000000Z',
      reportingController: 'kubedesk.io/test',
      reportingInstance: 'test-1',
      action: 'Testing',
      reason: 'Tested',
      note: 'it works',
      type: 'Normal',
      regarding: { kind: 'ConfigMap', namespace: 'default', name: 'a' },
    };
    const created = await server.request('POST', '/apis/events.k8s.io/v1/namespaces/default/events', {
      body: event,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      note: 'it works',
      regarding: { name: 'a' },
    });
    const core = await server.request(
      'GET',
      '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Da',
    );
    expect(core.body.items).toHaveLength(1);
    expect(core.body.items[0]).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      message: 'it works',
      reason: 'Tested',
      involvedObject: { kind: 'ConfigMap', name: 'a' },
      reportingComponent: 'kubedesk.io/test',
    });
  });

  it('serves an autoscaling/v2 HorizontalPodAutoscaler as autoscaling/v1', async () => {
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
          },
        ],
      },
    };
    expect(
      (
        await server.request('POST', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', {
          body: hpa,
        })
      ).status,
    ).toBe(201);
    const v1 = await server.request(
      'GET',
      '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/h',
    );
    expect(v1.body).toMatchObject({
      apiVersion: 'autoscaling/v1',
      spec: { minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 70 },
    });
  });
});

describe('service addresses', () => {
  it('allocates node ports when a Service becomes a NodePort and keeps them after', async () => {
    const path = '/api/v1/namespaces/default/services/np';
    const svc = { metadata: { name: 'np' }, spec: { ports: [{ port: 80 }] } };
    const created = (await server.request('POST', '/api/v1/namespaces/default/services', { body: svc })).body;
    const nodePort = { ...svc, spec: { ...svc.spec, type: 'NodePort' } };
    const changed = (await server.request('PUT', path, { body: nodePort })).body;
    expect(changed.spec.clusterIP).toBe(created.spec.clusterIP);
    const allocated = changed.spec.ports[0].nodePort;
    expect(allocated).toBeGreaterThanOrEqual(30000);
    expect(allocated).toBeLessThanOrEqual(32767);
    expect(changed.spec.externalTrafficPolicy).toBe('Cluster');
    const again = (await server.request('PUT', path, { body: nodePort })).body;
    expect(again.spec.ports[0].nodePort).toBe(allocated);
  });
});
