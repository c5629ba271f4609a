// create, get, list, update, patch and delete semantics over HTTPS against the memory store.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '../testing/testApiServer';

let server: TestApiServer;
const cms = '/api/v1/namespaces/default/configmaps';
const deployments = '/apis/apps/v1/namespaces/default/deployments';

function deployment(name: string, replicas = 1) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
    },
  };
}

beforeAll(async () => {
  server = await startTestApiServer();
});

afterAll(async () => {
  await server.stop();
});

describe('create and get', () => {
  it('fills server metadata and answers the Status catalogue for missing and duplicate objects', async () => {
    const created = await server.request('POST', cms, {
      body: { metadata: { name: 'a' }, data: { x: '1' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: 'a', namespace: 'default' });
    expect(created.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(created.body.metadata.resourceVersion)).toBeGreaterThan(0);
    const again = await server.request('POST', cms, { body: { metadata: { name: 'a' } } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "a" already exists' });
    const missing = await server.request('GET', `${deployments}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      reason: 'NotFound',
      message: 'deployments.apps "nope" not found',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
    });
  });

  it('generates names, honours dryRun and requires an existing namespace', async () => {
    const generated = await server.request('POST', cms, { body: { metadata: { generateName: 'gen-' } } });
    expect(generated.body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    const dry = await server.request('POST', `${cms}?dryRun=All`, { body: { metadata: { name: 'dry' } } });
    expect(dry.status).toBe(201);
    expect((await server.request('GET', `${cms}/dry`)).status).toBe(404);
    const orphan = await server.request('POST', '/api/v1/namespaces/ghost/configmaps', {
      body: { metadata: { name: 'x' } },
    });
    expect(orphan.status).toBe(404);
    expect(orphan.body.message).toBe('namespaces "ghost" not found');
  });

  it('rejects invalid objects with 422 and every cause', async () => {
    const bad = deployment('Bad');
    bad.spec.template.metadata.labels = { app: 'other' };
    const res = await server.request('POST', deployments, { body: bad });
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.details.causes.map((c: { field: string }) => c.field)).toEqual([
      'metadata.name',
      'spec.template.metadata.labels',
    ]);
    expect(res.body.message).toContain(
      'Deployment.apps "Bad" is invalid: [metadata.name: Invalid value: "Bad"',
    );
    expect(res.body.message).toContain(
      'spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`',
    );
  });
});

describe('list', () => {
  it('returns typed lists with selectors and pages', async () => {
    for (const name of ['p1', 'p2', 'p3']) {
      await server.request('POST', cms, { body: { metadata: { name, labels: { page: 'yes' } } } });
    }
    const all = await server.request('GET', `${cms}?labelSelector=page%3Dyes`);
    expect(all.body.kind).toBe('ConfigMapList');
    expect(all.body.apiVersion).toBe('v1');
    expect(all.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
      'p1',
      'p2',
      'p3',
    ]);
    const first = await server.request('GET', `${cms}?labelSelector=page%3Dyes&limit=2`);
    expect(first.body.items).toHaveLength(2);
    const token = first.body.metadata.continue as string;
    const rest = await server.request(
      'GET',
      `${cms}?labelSelector=page%3Dyes&limit=2&continue=${encodeURIComponent(token)}`,
    );
    expect(rest.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['p3']);
    expect(rest.body.metadata.continue).toBeUndefined();
    const byName = await server.request('GET', '/api/v1/configmaps?fieldSelector=metadata.name%3Dp2');
    expect(byName.body.items).toHaveLength(1);
    const unsupported = await server.request('GET', `${cms}?fieldSelector=spec.x%3D1`);
    expect(unsupported.status).toBe(400);
    const badLabels = await server.request('GET', `${cms}?labelSelector=a%20in%20(`);
    expect(badLabels.status).toBe(400);
  });

  it('answers a Table when asked', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const table = await server.request('GET', deployments, { accept });
    expect(table.body.kind).toBe('Table');
    expect(table.body.columnDefinitions.map((c: { name: string }) => c.name).slice(0, 5)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
    ]);
  });
});

describe('update', () => {
  it('is unconditional without resourceVersion and conflicts when stale', async () => {
    const created = (
      await server.request('POST', cms, { body: { metadata: { name: 'u' }, data: { v: '1' } } })
    ).body;
    const stale = created.metadata.resourceVersion;
    const put = await server.request('PUT', `${cms}/u`, {
      body: { metadata: { name: 'u' }, data: { v: '2' } },
    });
    expect(put.status).toBe(200);
    expect(put.body.metadata.uid).toBe(created.metadata.uid);
    const conflict = await server.request('PUT', `${cms}/u`, {
      body: { metadata: { name: 'u', resourceVersion: stale }, data: { v: '3' } },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toBe(
      'Operation cannot be fulfilled on configmaps "u": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('bumps generation on spec changes only and keeps status on main-resource writes', async () => {
    const created = (await server.request('POST', deployments, { body: deployment('gen') })).body;
    expect(created.metadata.generation).toBe(1);
    const labelled = await server.request('PATCH', `${deployments}/gen`, {
      body: { metadata: { labels: { x: 'y' } } },
      contentType: 'application/merge-patch+json',
    });
    expect(labelled.body.metadata.generation).toBe(1);
    const status = await server.request('PUT', `${deployments}/gen/status`, {
      body: { ...labelled.body, spec: { ...labelled.body.spec, replicas: 9 }, status: { replicas: 1 } },
    });
    expect(status.body.status).toEqual({ replicas: 1 });
    expect(status.body.spec.replicas).toBe(1);
    const scaled = await server.request('PATCH', `${deployments}/gen`, {
      body: { spec: { replicas: 2 }, status: { replicas: 7 } },
      contentType: 'application/strategic-merge-patch+json',
    });
    expect(scaled.body.metadata.generation).toBe(2);
    expect(scaled.body.status).toEqual({ replicas: 1 });
  });

  it('keeps a Service clusterIP that an update omits and refuses to change it', async () => {
    const svc = { metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } };
    const created = (await server.request('POST', '/api/v1/namespaces/default/services', { body: svc })).body;
    expect(created.spec.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./);
    expect(created.spec.ports[0]).toEqual({ port: 80, protocol: 'TCP', targetPort: 80 });
    const updated = await server.request('PUT', '/api/v1/namespaces/default/services/s', { body: svc });
    expect(updated.body.spec.clusterIP).toBe(created.spec.clusterIP);
    const moved = await server.request('PUT', '/api/v1/namespaces/default/services/s', {
      body: { ...svc, spec: { ...svc.spec, clusterIP: '10.96.99.99' } },
    });
    expect(moved.status).toBe(422);
  });

  it('applies JSON patches and rejects ones that do not apply', async () => {
    await server.request('POST', cms, { body: { metadata: { name: 'jp' }, data: { a: '1' } } });
    const patched = await server.request('PATCH', `${cms}/jp`, {
      body: [{ op: 'add', path: '/data/b', value: '2' }],
      contentType: 'application/json-patch+json',
    });
    expect(patched.body.data).toEqual({ a: '1', b: '2' });
    const failed = await server.request('PATCH', `${cms}/jp`, {
      body: [{ op: 'test', path: '/data/a', value: 'nope' }],
      contentType: 'application/json-patch+json',
    });
    expect(failed.status).toBeGreaterThanOrEqual(400);
    expect(failed.status).toBeLessThan(500);
  });
});

describe('server-side apply', () => {
  const apply = (body: object, query = 'fieldManager=a') =>
    server.request('PATCH', `${cms}/ssa?${query}`, { body, contentType: 'application/apply-patch+yaml' });

  it('creates on apply, records managers and reports conflicts unless forced', async () => {
    const created = await apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ssa' },
      data: { k: '1' },
    });
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields[0]).toMatchObject({ manager: 'a', operation: 'Apply' });
    const conflict = await apply(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { k: '2' } },
      'fieldManager=b',
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body.details.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "a" using v1', field: '.data.k' },
    ]);
    const forced = await apply(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { k: '2' } },
      'fieldManager=b&force=true',
    );
    expect(forced.status).toBe(200);
    expect(forced.body.data).toEqual({ k: '2' });
  });
});

describe('delete', () => {
  it('checks preconditions and answers a Success Status', async () => {
    await server.request('POST', cms, { body: { metadata: { name: 'd' } } });
    const wrong = await server.request('DELETE', `${cms}/d`, { body: { preconditions: { uid: 'other' } } });
    expect(wrong.status).toBe(409);
    const gone = await server.request('DELETE', `${cms}/d`);
    expect(gone.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'd', kind: 'configmaps' },
    });
    expect((await server.request('GET', `${cms}/d`)).status).toBe(404);
  });

  it('keeps objects with finalizers until the last one is removed', async () => {
    await server.request('POST', cms, { body: { metadata: { name: 'f', finalizers: ['example.com/x'] } } });
    const marked = await server.request('DELETE', `${cms}/f`);
    expect(marked.status).toBe(200);
    expect(marked.body.metadata.deletionTimestamp).toBeDefined();
    expect((await server.request('GET', `${cms}/f`)).status).toBe(200);
    await server.request('PATCH', `${cms}/f`, {
      body: { metadata: { finalizers: null } },
      contentType: 'application/merge-patch+json',
    });
    expect((await server.request('GET', `${cms}/f`)).status).toBe(404);
  });

  const pods = '/api/v1/namespaces/default/pods';
  /** Creates a pod; with `nodeName`, also that node, and binds the pod to it. */
  async function createPod(metadata: Record<string, unknown>, nodeName?: string): Promise<void> {
    if (nodeName) await server.request('POST', '/api/v1/nodes', { body: { metadata: { name: nodeName } } });
    const spec = { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] };
    await server.request('POST', pods, { body: { metadata, spec } });
  }

  it('removes pods at once while no node runs them, and gracefully on an existing node', async () => {
    await createPod({ name: 'loose' });
    await server.request('DELETE', `${pods}/loose`);
    expect((await server.request('GET', `${pods}/loose`)).status).toBe(404);
    await createPod({ name: 'bound' }, 'n1');
    const graceful = await server.request('DELETE', `${pods}/bound`);
    expect(graceful.body.metadata.deletionGracePeriodSeconds).toBe(30);
    expect((await server.request('GET', `${pods}/bound`)).status).toBe(200);
    await server.request('DELETE', `${pods}/bound?gracePeriodSeconds=0`);
    expect((await server.request('GET', `${pods}/bound`)).status).toBe(404);
  });

  it('keeps a terminating pod through status writes, and lets a second delete only shorten its grace period', async () => {
    await createPod({ name: 'stopping' }, 'n2');
    const first = (await server.request('DELETE', `${pods}/stopping`)).body.metadata;
    expect(first.deletionGracePeriodSeconds).toBe(30);
    // The kubelet still reports status while it stops the containers.
    const live = (await server.request('GET', `${pods}/stopping`)).body;
    const written = await server.request('PUT', `${pods}/stopping/status`, {
      body: { ...live, status: { phase: 'Running' } },
    });
    expect(written.status).toBe(200);
    expect(written.body.metadata.deletionGracePeriodSeconds).toBe(30);
    const longer = (await server.request('DELETE', `${pods}/stopping?gracePeriodSeconds=60`)).body.metadata;
    expect(longer).toMatchObject({
      deletionGracePeriodSeconds: 30,
      deletionTimestamp: first.deletionTimestamp,
    });
    const shorter = (await server.request('DELETE', `${pods}/stopping?gracePeriodSeconds=10`)).body.metadata;
    expect(shorter.deletionGracePeriodSeconds).toBe(10);
    expect(Date.parse(first.deletionTimestamp) - Date.parse(shorter.deletionTimestamp)).toBe(20_000);
    await server.request('DELETE', `${pods}/stopping?gracePeriodSeconds=0`);
    expect((await server.request('GET', `${pods}/stopping`)).status).toBe(404);
  });

  it('keeps a pod with a finalizer after its kubelet confirms the stop, until the finalizer goes', async () => {
    await createPod({ name: 'held', finalizers: ['example.com/hold'] }, 'n3');
    await server.request('DELETE', `${pods}/held`);
    const confirmed = await server.request('DELETE', `${pods}/held?gracePeriodSeconds=0`);
    expect(confirmed.body.metadata.deletionGracePeriodSeconds).toBe(0);
    expect((await server.request('GET', `${pods}/held`)).status).toBe(200);
    await server.request('PATCH', `${pods}/held`, {
      body: { metadata: { finalizers: null } },
      contentType: 'application/merge-patch+json',
    });
    expect((await server.request('GET', `${pods}/held`)).status).toBe(404);
  });

  it('deletes a collection by label', async () => {
    const res = await server.request('DELETE', `${cms}?labelSelector=page%3Dyes`);
    expect(res.body.kind).toBe('ConfigMapList');
    expect(res.body.items).toHaveLength(3);
    expect((await server.request('GET', `${cms}?labelSelector=page%3Dyes`)).body.items).toEqual([]);
  });
});

describe('bad input', () => {
  it('answers 4xx, never 500, for null list elements and future resource versions', async () => {
    const pod = {
      metadata: { name: 'nulls' },
      spec: { containers: [null, { name: 'c', image: 'x', ports: [null] }] },
    };
    const created = await server.request('POST', '/api/v1/namespaces/default/pods', { body: pod });
    expect(created.status).toBe(201);
    expect(created.body.spec.containers).toHaveLength(1);
    const empty = await server.request('POST', '/api/v1/namespaces/default/pods', {
      body: { metadata: { name: 'empty' }, spec: { containers: [null] } },
    });
    expect(empty.status).toBe(422);
    expect(empty.body.message).toContain('spec.containers: Required value');
    const future = await server.request('GET', `${cms}?resourceVersion=99999999&resourceVersionMatch=Exact`);
    expect(future.status).toBe(504);
    expect(future.body.message).toMatch(/^Too large resource version: 99999999, current: \d+$/);
  });
});
