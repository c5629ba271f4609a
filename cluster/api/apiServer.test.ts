// Authentication, discovery, non-resource paths and request-body handling of the API server.

import { Agent, request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageTypeFor, protobufMagic } from './codec/protobuf';
import { agentToken, startTestApiServer, type TestApiServer } from './testing/testApiServer';

let server: TestApiServer;

beforeAll(async () => {
  server = await startTestApiServer();
});

afterAll(async () => {
  await server.stop();
});

function protobufBody(apiVersion: string, kind: string, object: Record<string, unknown>): Buffer {
  const type = messageTypeFor(apiVersion, kind);
  if (!type) throw new Error(`no protobuf type for ${kind}`);
  const raw = type.encode(type.fromObject(object)).finish();
  const unknown = type.root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  return Buffer.concat([
    protobufMagic,
    unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish(),
  ]);
}

describe('authentication', () => {
  it('answers anonymous requests with 401 but serves health and version', async () => {
    const denied = await server.request('GET', '/api/v1/namespaces', { auth: 'anonymous' });
    expect(denied.status).toBe(401);
    expect(denied.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401,
    });
    expect((await server.request('GET', '/readyz', { auth: 'anonymous' })).text).toBe('ok');
    expect((await server.request('GET', '/version', { auth: 'anonymous' })).body.gitVersion).toBe('v1.35.0');
  });

  it('takes the identity from the client certificate or a bearer token', async () => {
    const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
    const admin = await server.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      body: review,
    });
    expect(admin.status).toBe(201);
    expect(admin.body.status.userInfo).toEqual({
      username: 'kubedesk-admin',
      groups: ['system:masters', 'system:authenticated'],
    });
    const agent = await server.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      body: review,
      auth: { token: agentToken },
    });
    expect(agent.body.status.userInfo.username).toBe('system:node:n1');
    const wrong = await server.request('GET', '/api/v1/pods', { auth: { token: 'nope' } });
    expect(wrong.status).toBe(401);
  });

  it('serves its process memory as Prometheus gauges to authenticated users only', async () => {
    expect((await server.request('GET', '/metrics', { auth: 'anonymous' })).status).toBe(401);
    const res = await server.request('GET', '/metrics');
    expect(res.status).toBe(200);
    const rss = Number(/^process_resident_memory_bytes (\d+)$/m.exec(res.text)?.[1]);
    expect(rss).toBeGreaterThan(0);
    expect(res.text).toContain('# TYPE nodejs_heap_size_used_bytes gauge');
  });

  it('allows access reviews for the admin', async () => {
    const res = await server.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: { spec: { resourceAttributes: { verb: 'create', resource: 'pods' } } },
    });
    expect(res.body.status.allowed).toBe(true);
  });
});

describe('connections', () => {
  it('keeps an idle keep-alive connection open past Node’s 5 s default, as kube-apiserver does', async () => {
    const { pki, port } = server;
    const agent = new Agent({
      keepAlive: true,
      maxSockets: 1,
      ca: pki.caCert,
      cert: pki.adminCert,
      key: pki.adminKey,
    });
    const get = () =>
      new Promise<boolean>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/version', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(req.reusedSocket));
        });
        req.on('error', reject);
        req.end();
      });
    expect(await get()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(await get()).toBe(true);
    agent.destroy();
  }, 15_000);
});

describe('discovery', () => {
  it('serves aggregated discovery with the negotiated content type', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const res = await server.request('GET', '/apis', { accept });
    expect(res.headers['content-type']).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const apps = res.body.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'apps');
    const deployments = apps.versions[0].resources.find(
      (r: { resource: string }) => r.resource === 'deployments',
    );
    expect(deployments).toMatchObject({
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      scope: 'Namespaced',
      shortNames: ['deploy'],
      categories: ['all'],
    });
    expect(deployments.subresources).toContainEqual({
      subresource: 'scale',
      responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: ['get', 'patch', 'update'],
    });
    const core = await server.request('GET', '/api', { accept });
    expect(core.body.items.map((g: { metadata: { name: string } }) => g.metadata.name)).toEqual(['']);
  });

  it('serves legacy discovery documents', async () => {
    expect((await server.request('GET', '/api')).body).toMatchObject({
      kind: 'APIVersions',
      versions: ['v1'],
    });
    const groups = (await server.request('GET', '/apis')).body;
    expect(
      groups.groups.find((g: { name: string }) => g.name === 'autoscaling').preferredVersion.version,
    ).toBe('v2');
    const core = (await server.request('GET', '/api/v1')).body;
    const names = core.resources.map((r: { name: string }) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(['pods', 'pods/status', 'pods/log', 'services', 'namespaces']),
    );
    const scale = (await server.request('GET', '/apis/apps/v1')).body.resources.find(
      (r: { name: string }) => r.name === 'deployments/scale',
    );
    expect(scale).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect((await server.request('GET', '/apis/nothing.example/v1')).status).toBe(404);
  });

  it('serves the OpenAPI v3 index and documents', async () => {
    const index = (await server.request('GET', '/openapi/v3')).body;
    const url: string = index.paths['apis/apps/v1'].serverRelativeURL;
    const doc = await server.request('GET', url);
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toContain('/apis/apps/v1/namespaces/{namespace}/deployments/{name}');
  });
});

describe('request bodies', () => {
  it('creates from a protobuf body', async () => {
    const raw = protobufBody('v1', 'ConfigMap', { metadata: { name: 'from-proto' }, data: { k: 'v' } });
    const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', {
      raw,
      contentType: 'application/vnd.kubernetes.protobuf',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'from-proto' }, data: { k: 'v' } });
  });

  it('answers 400 for unparseable JSON and malformed protobuf, 413 for oversized bodies', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    const json = await server.request('POST', path, {
      raw: Buffer.from('{"kind": '),
      contentType: 'application/json',
    });
    expect(json.status).toBe(400);
    expect(json.body.reason).toBe('BadRequest');
    const proto = await server.request('POST', path, {
      raw: Buffer.from('not protobuf'),
      contentType: 'application/vnd.kubernetes.protobuf',
    });
    expect(proto.status).toBe(400);
    const big = await server.request('POST', path, {
      raw: Buffer.alloc(3 * 1024 * 1024 + 1, 32),
      contentType: 'application/json',
    });
    expect(big.status).toBe(413);
    expect(big.body.reason).toBe('RequestEntityTooLarge');
  });

  it('rejects unknown fields under fieldValidation=Strict and warns under Warn', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict' }, bogus: 1 };
    const strict = await server.request(
      'POST',
      '/api/v1/namespaces/default/configmaps?fieldValidation=Strict',
      { body },
    );
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('strict decoding error: unknown field "bogus"');
    const warn = await server.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', {
      body,
    });
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"bogus\\""');
  });

  it('answers 415 for an unsupported patch type and 405 for an unsupported verb', async () => {
    const patch = await server.request('PATCH', '/api/v1/namespaces/default/configmaps/strict', {
      raw: Buffer.from('{}'),
      contentType: 'text/plain',
    });
    expect(patch.status).toBe(415);
    const collection = await server.request('DELETE', '/api/v1/namespaces/default/services');
    expect(collection.status).toBe(405);
  });
});
