// /scale, pods/binding, pods/eviction and the streaming pod subresources.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '../testing/testApiServer';

let server: TestApiServer;
const deployments = '/apis/apps/v1/namespaces/default/deployments';
const pods = '/api/v1/namespaces/default/pods';

beforeAll(async () => {
  server = await startTestApiServer();
  await server.request('POST', deployments, {
    body: {
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    },
  });
  await server.request('POST', pods, {
    body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  });
});

afterAll(async () => {
  await server.stop();
});

describe('scale', () => {
  it('reads and patches replicas through an autoscaling/v1 Scale', async () => {
    const scale = await server.request('GET', `${deployments}/web/scale`);
    expect(scale.body).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 1 },
      status: { replicas: 0, selector: 'app=web' },
    });
    const patched = await server.request('PATCH', `${deployments}/web/scale`, {
      body: { spec: { replicas: 4 } },
      contentType: 'application/merge-patch+json',
    });
    expect(patched.body.spec.replicas).toBe(4);
    const deployment = await server.request('GET', `${deployments}/web`);
    expect(deployment.body.spec.replicas).toBe(4);
    expect(deployment.body.metadata.generation).toBe(2);
  });
});

describe('pods', () => {
  it('binds a pod to a node once', async () => {
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'p' },
      target: { kind: 'Node', name: 'n1' },
    };
    expect((await server.request('POST', `${pods}/p/binding`, { body: binding })).status).toBe(201);
    expect((await server.request('GET', `${pods}/p`)).body.spec.nodeName).toBe('n1');
    const again = await server.request('POST', `${pods}/p/binding`, { body: binding });
    expect(again.status).toBe(409);
  });

  it('answers 503 for logs of a bound pod when the API server has no kubelet credentials', async () => {
    const logs = await server.request('GET', `${pods}/p/log`);
    expect(logs.status).toBe(503);
    expect(logs.body).toMatchObject({
      reason: 'ServiceUnavailable',
      message: 'the API server has no kubelet client credentials',
    });
  });

  it('evicts a pod by deleting it', async () => {
    const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p' } };
    expect((await server.request('POST', `${pods}/p/eviction`, { body: eviction })).status).toBe(201);
    expect((await server.request('GET', `${pods}/p`)).status).toBe(404);
  });
});

describe('certificate signing requests', () => {
  it('approves through the approval subresource, which writes only status', async () => {
    const csrs = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
    const csr = {
      metadata: { name: 'node-csr' },
      spec: {
        request: Buffer.from('not a real CSR').toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['client auth'],
      },
    };
    const created = (await server.request('POST', csrs, { body: csr })).body;
    const approved = await server.request('PUT', `${csrs}/node-csr/approval`, {
      body: {
        ...created,
        spec: { ...created.spec, signerName: 'other.example/signer' },
        status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'ok' }] },
      },
    });
    expect(approved.status).toBe(200);
    expect(approved.body.status.conditions[0].type).toBe('Approved');
    expect(approved.body.spec.signerName).toBe('kubernetes.io/kube-apiserver-client');
  });
});
