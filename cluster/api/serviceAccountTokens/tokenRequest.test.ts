// serviceaccounts/token and the bearer tokens it issues, over HTTPS against the test API server.

import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../controllers/testing/controllerHarness';
import { createJwtSigner } from '../../pki';
import { agentToken, startTestApiServer, type TestApiServer } from '../testing/testApiServer';
import { serviceAccountAuthenticator } from './serviceAccountAuthenticator';

let server: TestApiServer;
const core = '/api/v1/namespaces/default';
const tokenPath = (sa: string) => `${core}/serviceaccounts/${sa}/token`;

async function requestToken(sa: string, spec: object = {}, auth?: { token: string }) {
  return server.request('POST', tokenPath(sa), {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec },
    ...(auth ? { auth } : {}),
  });
}

async function createPod(name: string, spec: object = {}) {
  const res = await server.request('POST', `${core}/pods`, {
    body: { metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const whoami = (token: string) =>
  server.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    auth: { token },
  });

beforeAll(async () => {
  server = await startTestApiServer();
  await eventually(
    async () => (await server.request('GET', `${core}/serviceaccounts/default`)).status === 200,
  );
});
afterAll(async () => {
  await server.stop();
});

describe('TokenRequest', () => {
  it('issues a one-hour token for the API server audience with Kubernetes claims', async () => {
    const sa = (await server.request('GET', `${core}/serviceaccounts/default`)).body;
    const res = await requestToken('default');
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { name: 'default', namespace: 'default' },
      spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600 },
    });
    const claims = decodeJwt(res.body.status.token);
    expect(claims).toMatchObject({
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: 'system:serviceaccount:default:default',
      aud: ['https://kubernetes.default.svc.cluster.local'],
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'default', uid: sa.metadata.uid } },
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
    expect(Date.parse(res.body.status.expirationTimestamp) / 1000).toBe(claims.exp);
  });

  it('validates the request like kube-apiserver', async () => {
    const short = await requestToken('default', { expirationSeconds: 599 });
    expect(short.status).toBe(422);
    expect(short.body.message).toBe(
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
    );
    expect((await requestToken('default', { expirationSeconds: 2 ** 32 + 1 })).status).toBe(422);
    const missing = await requestToken('nobody');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('serviceaccounts "nobody" not found');
    const renamed = await server.request('POST', tokenPath('default'), {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        metadata: { name: 'other' },
        spec: {},
      },
    });
    expect(renamed.status).toBe(422);
    const node = await requestToken('default', {
      boundObjectRef: { apiVersion: 'v1', kind: 'Node', name: 'n1' },
    });
    expect(node.status).toBe(400);
  });

  it('binds a token to a pod, checking its uid and service account, and revokes it with the pod', async () => {
    const pod = await createPod('bound');
    const ref = { apiVersion: 'v1', kind: 'Pod', name: 'bound' };
    expect((await requestToken('default', { boundObjectRef: { ...ref, name: 'absent' } })).status).toBe(404);
    const stale = await requestToken('default', { boundObjectRef: { ...ref, uid: 'not-the-uid' } });
    expect(stale.status).toBe(409);
    await server.request('POST', `${core}/serviceaccounts`, { body: { metadata: { name: 'other' } } });
    const wrongAccount = await requestToken('other', { boundObjectRef: ref });
    expect(wrongAccount.status).toBe(400);
    expect(wrongAccount.body.message).toContain('cannot bind token for serviceaccount "other"');

    const res = await requestToken('default', { boundObjectRef: { ...ref, uid: pod.metadata.uid } });
    expect(res.status, res.text).toBe(201);
    const token = res.body.status.token;
    expect(decodeJwt(token)['kubernetes.io']).toMatchObject({
      pod: { name: 'bound', uid: pod.metadata.uid },
    });
    const review = await whoami(token);
    expect(review.body.status.userInfo.extra).toMatchObject({
      'authentication.kubernetes.io/pod-name': ['bound'],
      'authentication.kubernetes.io/pod-uid': [pod.metadata.uid],
    });
    await server.request('DELETE', `${core}/pods/bound?gracePeriodSeconds=0`);
    await eventually(async () => (await server.request('GET', `${core}/pods/bound`)).status === 404);
    expect((await whoami(token)).status).toBe(401);
  });

  it('lets a node ask only for tokens bound to pods scheduled on it', async () => {
    const unbound = await requestToken('default', {}, { token: agentToken });
    expect(unbound.status).toBe(403);
    const pod = await createPod('on-n1', { nodeName: 'n1' });
    const ref = { apiVersion: 'v1', kind: 'Pod', name: 'on-n1', uid: pod.metadata.uid };
    expect((await requestToken('default', { boundObjectRef: ref }, { token: agentToken })).status).toBe(201);
    await createPod('on-n2', { nodeName: 'n2' });
    const elsewhere = { apiVersion: 'v1', kind: 'Pod', name: 'on-n2' };
    expect((await requestToken('default', { boundObjectRef: elsewhere }, { token: agentToken })).status).toBe(
      403,
    );
  });

  it('is advertised in discovery as serviceaccounts/token', async () => {
    const list = (await server.request('GET', '/api/v1')).body;
    const entry = list.resources.find((r: { name: string }) => r.name === 'serviceaccounts/token');
    expect(entry).toMatchObject({
      kind: 'TokenRequest',
      group: 'authentication.k8s.io',
      version: 'v1',
      verbs: ['create'],
    });
  });
});

describe('service account bearer tokens', () => {
  it('authenticate as the service account with its groups', async () => {
    const token = (await requestToken('default')).body.status.token;
    const review = await whoami(token);
    expect(review.status).toBe(201);
    expect(review.body.status.userInfo).toMatchObject({
      username: 'system:serviceaccount:default:default',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    });
    expect((await server.request('GET', `${core}/pods`, { auth: { token } })).status).toBe(200);
    expect((await server.request('GET', `${core}/pods`, { auth: { token: 'garbage' } })).status).toBe(401);
  });

  it('pass a TokenReview only for an audience they carry', async () => {
    const token = (await requestToken('default', { audiences: ['vault'] })).body.status.token;
    const review = (audiences?: string[]) =>
      server.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences } },
      });
    expect((await review()).body.status).toEqual({ authenticated: false });
    const accepted = (await review(['vault'])).body.status;
    expect(accepted).toMatchObject({
      authenticated: true,
      audiences: ['vault'],
      user: { username: 'system:serviceaccount:default:default' },
    });
    // Not for the API server itself.
    expect((await whoami(token)).status).toBe(401);
  });

  it('stop working once the ServiceAccount is re-created with another uid', async () => {
    await server.request('POST', `${core}/serviceaccounts`, { body: { metadata: { name: 'cycled' } } });
    const token = (await requestToken('cycled')).body.status.token;
    expect((await whoami(token)).status).toBe(201);
    await server.request('DELETE', `${core}/serviceaccounts/cycled`);
    await server.request('POST', `${core}/serviceaccounts`, { body: { metadata: { name: 'cycled' } } });
    expect((await whoami(token)).status).toBe(401);
  });

  it('expire after expirationSeconds (plus the minute of leeway)', async () => {
    const token = (await requestToken('default', { expirationSeconds: 600 })).body.status.token;
    const at = (ms: number) =>
      serviceAccountAuthenticator({
        signer: createJwtSigner(server.pki.serviceAccountKey),
        objects: server.api.rest.objects,
        now: () => new Date(Date.now() + ms),
      })(token);
    expect(await at(0)).toMatchObject({ user: 'system:serviceaccount:default:default' });
    expect(await at(700_000)).toBeUndefined();
  });
});
