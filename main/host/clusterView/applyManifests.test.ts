import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '../../../cluster/api/testing/testApiServer';
import { builtinCatalog } from '../../../cluster/registry/builtinResources';
import { createApiServerClient } from './apiServerClient';
import { type ApplyManifestsOptions, applyManifests } from './applyManifests';

// Against a real API server over HTTPS: the same handlers `kubectl apply --server-side` reaches.

const deployment = (name: string, replicas: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: web
          image: registry.local/web:1
`;

describe('applying YAML with server-side apply', () => {
  let server: TestApiServer;
  let options: ApplyManifestsOptions;

  beforeAll(async () => {
    server = await startTestApiServer();
    const client = createApiServerClient({
      server: `https://127.0.0.1:${server.port}`,
      ca: server.pki.caCert,
      cert: server.pki.adminCert,
      key: server.pki.adminKey,
    });
    options = {
      client,
      resolve: (apiVersion, kind) => builtinCatalog.forKind(apiVersion, kind),
    };
  });
  afterAll(() => server?.stop());

  const get = (path: string) => server.request('GET', path);

  it('creates every document, then reports the next apply as configured', async () => {
    const yaml = `${deployment('web', '2')}---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
`;
    const first = await applyManifests({ yaml, namespace: 'default' }, options);
    expect(first).toEqual({
      ok: true,
      applied: [
        {
          document: 0,
          kind: 'Deployment',
          name: 'web',
          namespace: 'default',
          resource: 'deployments',
          outcome: 'created',
        },
        {
          document: 1,
          kind: 'Service',
          name: 'web',
          namespace: 'default',
          resource: 'services',
          outcome: 'created',
        },
      ],
    });
    const live = await get('/apis/apps/v1/namespaces/default/deployments/web');
    expect(live.body.spec.replicas).toBe(2);
    expect(live.body.metadata.managedFields.map((f: { manager: string }) => f.manager)).toContain('kubedesk');

    const again = await applyManifests({ yaml: deployment('web', '3') }, options);
    expect(again.ok && again.applied[0]?.outcome).toBe('configured');
    expect((await get('/apis/apps/v1/namespaces/default/deployments/web')).body.spec.replicas).toBe(3);
  });

  it('names the field of a wrong type and writes nothing', async () => {
    const result = await applyManifests({ yaml: deployment('typo', '"abc"') }, options);
    expect(result.ok).toBe(false);
    const failure = !result.ok ? result.failures[0] : undefined;
    expect(failure).toMatchObject({
      document: 0,
      kind: 'Deployment',
      name: 'typo',
      code: 400,
      conflict: false,
    });
    expect(failure?.causes).toEqual([expect.objectContaining({ field: 'spec.replicas' })]);
    expect((await get('/apis/apps/v1/namespaces/default/deployments/typo')).status).toBe(404);
  });

  it('returns 422 causes with their fields', async () => {
    const result = await applyManifests({ yaml: deployment('negative', '-1') }, options);
    const failure = !result.ok ? result.failures[0] : undefined;
    expect(failure).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(failure?.causes.map((c) => c.field)).toContain('spec.replicas');
  });

  it('writes no document when a later one is invalid', async () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { a: "1" }
---
${deployment('broken', '"x"')}`;
    const result = await applyManifests({ yaml }, options);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.failures.map((f) => f.document)).toEqual([1]);
    expect((await get('/api/v1/namespaces/default/configmaps/settings')).status).toBe(404);
  });

  it('reports fields another manager owns as a conflict, and takes them with force', async () => {
    const created = await server.request(
      'POST',
      '/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create',
      {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned' }, data: { mode: 'a' } },
      },
    );
    expect(created.status).toBe(201);
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: owned }\ndata: { mode: b }\n';
    const refused = await applyManifests({ yaml }, options);
    const failure = !refused.ok ? refused.failures[0] : undefined;
    expect(failure).toMatchObject({ code: 409, conflict: true });
    expect(failure?.causes).toEqual([
      expect.objectContaining({ field: '.data.mode', reason: 'FieldManagerConflict' }),
    ]);
    expect((await get('/api/v1/namespaces/default/configmaps/owned')).body.data.mode).toBe('a');

    const forced = await applyManifests({ yaml, force: true }, options);
    expect(forced.ok).toBe(true);
    expect((await get('/api/v1/namespaces/default/configmaps/owned')).body.data.mode).toBe('b');
  });

  it('creates a namespace and the objects in it from one text', async () => {
    const yaml = `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: prices, namespace: shop }
`;
    const result = await applyManifests({ yaml }, options);
    expect(result.ok).toBe(true);
    expect((await get('/api/v1/namespaces/shop/configmaps/prices')).status).toBe(200);
  });

  it('reports YAML syntax errors with their line, and unknown kinds and missing names before sending', async () => {
    const syntax = await applyManifests({ yaml: 'kind: ConfigMap\nmetadata:\n  name: [oops\n' }, options);
    expect(!syntax.ok && syntax.failures[0]).toMatchObject({ reason: 'InvalidYAML', code: 0 });
    expect(!syntax.ok && syntax.failures[0]?.line).toBeGreaterThanOrEqual(3);

    const unknown = await applyManifests(
      { yaml: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n' },
      options,
    );
    expect(!unknown.ok && unknown.failures[0]?.message).toBe(
      'no matches for kind "Widget" in version "example.com/v1"',
    );

    const unnamed = await applyManifests(
      { yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n' },
      options,
    );
    expect(!unnamed.ok && unnamed.failures[0]?.causes[0]?.field).toBe('metadata.name');
  });
});
