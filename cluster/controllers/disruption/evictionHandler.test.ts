// POST pods/<name>/eviction over HTTPS: 429 with Kubernetes' Status while the budget allows no
// disruption, 201 and the pod deleted once it does.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '../../api/testing/testApiServer';
import { createRunningPod } from '../endpoints/testPods';
import { ClusterClient } from '../runtime/clusterClient';
import { resources } from '../runtime/resources';

let server: TestApiServer;
let client: ClusterClient;

beforeAll(async () => {
  server = await startTestApiServer();
  client = new ClusterClient(server.api.rest, 'test');
});

afterAll(async () => {
  await server.stop();
});

async function setAllowed(disruptionsAllowed: number) {
  await client.resource(resources.podDisruptionBudgets).mutate(
    'default',
    'guard',
    (pdb) => {
      pdb.status = {
        observedGeneration: 1,
        currentHealthy: 1,
        desiredHealthy: 1,
        expectedPods: 1,
        disruptionsAllowed,
      };
      return pdb;
    },
    { subresource: 'status' },
  );
}

const eviction = {
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name: 'guarded', namespace: 'default' },
};

describe('pods/eviction', () => {
  it('answers 429 while the disruption budget allows nothing, then evicts', async () => {
    await createRunningPod(client, { name: 'guarded', labels: { app: 'guarded' }, ip: '10.244.0.8' });
    await client.resource(resources.podDisruptionBudgets).create({
      metadata: { name: 'guard', namespace: 'default' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } },
    });
    await setAllowed(0);

    const refused = await server.request('POST', '/api/v1/namespaces/default/pods/guarded/eviction', {
      body: eviction,
    });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'TooManyRequests',
      code: 429,
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: { causes: [{ reason: 'DisruptionBudget' }] },
    });
    expect((await server.request('GET', '/api/v1/namespaces/default/pods/guarded')).status).toBe(200);

    await setAllowed(1);
    const evicted = await server.request('POST', '/api/v1/namespaces/default/pods/guarded/eviction', {
      body: eviction,
    });
    expect(evicted.status).toBe(201);
    expect((await server.request('GET', '/api/v1/namespaces/default/pods/guarded')).status).toBe(404);
  });
});
