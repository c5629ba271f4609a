// Namespaces get a default ServiceAccount; deleting one turns it Terminating, refuses new
// content, removes what it holds and then the namespace itself.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '../testing/testApiServer';

let server: TestApiServer;

beforeAll(async () => {
  server = await startTestApiServer();
});

afterAll(async () => {
  await server.stop();
});

describe('namespace lifecycle', () => {
  it('creates the default ServiceAccount and root CA ConfigMap in new namespaces', async () => {
    await server.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'team' } } });
    await expect
      .poll(
        async () => (await server.request('GET', '/api/v1/namespaces/team/serviceaccounts/default')).status,
      )
      .toBe(200);
    await expect
      .poll(
        async () =>
          (await server.request('GET', '/api/v1/namespaces/team/configmaps/kube-root-ca.crt')).body?.data,
      )
      .toEqual({ 'ca.crt': server.pki.caCert });
    const ns = (await server.request('GET', '/api/v1/namespaces/team')).body;
    expect(ns.status.phase).toBe('Active');
    expect(ns.spec.finalizers).toEqual(['kubernetes']);
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team' });
  });

  it('deletes a namespace with its content', async () => {
    await server.request('POST', '/api/v1/namespaces/team/configmaps', { body: { metadata: { name: 'c' } } });
    const deleted = await server.request('DELETE', '/api/v1/namespaces/team');
    expect(deleted.body.status.phase).toBe('Terminating');
    await expect.poll(async () => (await server.request('GET', '/api/v1/namespaces/team')).status).toBe(404);
    expect((await server.request('GET', '/api/v1/namespaces/team/configmaps')).body.items).toEqual([]);
  });

  it('refuses new content in a terminating namespace', async () => {
    await server.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'held' } } });
    await server.request('POST', '/api/v1/namespaces/held/configmaps', {
      body: { metadata: { name: 'pinned', finalizers: ['example.com/x'] } },
    });
    await server.request('DELETE', '/api/v1/namespaces/held');
    const refused = await server.request('POST', '/api/v1/namespaces/held/configmaps', {
      body: { metadata: { name: 'new' } },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain(
      'unable to create new content in namespace held because it is being terminated',
    );
  });
});
