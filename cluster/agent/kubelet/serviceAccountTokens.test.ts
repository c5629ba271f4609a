// The kubelet's token manager against the test API server, as node n1 with the official client.

import { CoreV1Api } from '@kubernetes/client-node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentToken, startTestApiServer, type TestApiServer } from '../../api/testing/testApiServer';
import { eventually } from '../../controllers/testing/controllerHarness';
import { kubeConfigFor } from '../credentials';
import { ServiceAccountTokenManager } from './serviceAccountTokens';

let server: TestApiServer;
let core: CoreV1Api;
let clock = Date.now();
let requests = 0;

beforeAll(async () => {
  server = await startTestApiServer();
  const kc = kubeConfigFor(
    { server: `https://127.0.0.1:${server.port}`, ca: server.pki.caCert, token: agentToken },
    'n1',
  );
  const real = kc.makeApiClient(CoreV1Api);
  // Counts TokenRequests while passing them to the real API server.
  core = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'createNamespacedServiceAccountToken') requests += 1;
      return Reflect.get(target, prop, receiver);
    },
  });
  await eventually(
    async () =>
      (await server.request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
  );
});
afterAll(async () => {
  await server.stop();
});

async function podOnN1(name: string) {
  const res = await server.request('POST', '/api/v1/namespaces/default/pods', {
    body: { metadata: { name }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

describe('kubelet token manager', () => {
  it('requests a pod-bound token, reuses it, and renews it after 80 % of its lifetime', async () => {
    const pod = await podOnN1('tokened');
    const manager = new ServiceAccountTokenManager({ core, now: () => clock, jitterMs: () => 0 });
    const projection = { path: 'token', expirationSeconds: 3607 };
    clock = Date.now();
    requests = 0;
    const first = await manager.token(pod, projection);
    expect(decodeJwt(first)['kubernetes.io']).toMatchObject({
      pod: { name: 'tokened', uid: pod.metadata.uid },
    });
    const whoami = await server.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      auth: { token: first },
    });
    expect(whoami.body.status.userInfo.username).toBe('system:serviceaccount:default:default');

    clock += 0.7 * 3607 * 1000;
    expect(await manager.token(pod, projection)).toBe(first);
    expect(requests).toBe(1);
    clock += 0.11 * 3607 * 1000;
    const renewed = await manager.token(pod, projection);
    expect(requests).toBe(2);
    expect(renewed).not.toBe(first);
  });

  it('keeps serving a still-valid token when renewal fails, and asks again after forgetting the pod', async () => {
    const pod = await podOnN1('flaky');
    const manager = new ServiceAccountTokenManager({ core, now: () => clock, jitterMs: () => 0 });
    const projection = { path: 'token', expirationSeconds: 600, audience: 'vault' };
    clock = Date.now();
    const first = await manager.token(pod, projection);
    expect(decodeJwt(first).aud).toEqual(['vault']);
    await server.request('DELETE', '/api/v1/namespaces/default/pods/flaky?gracePeriodSeconds=0');
    clock += 0.9 * 600 * 1000;
    expect(await manager.token(pod, projection)).toBe(first);
    manager.forgetPod(pod.metadata.uid);
    await expect(manager.token(pod, projection)).rejects.toThrow(
      'failed to fetch token for service account "default/default"',
    );
  });
});
