// Service account tokens with the real kubectl 1.35 against a control plane with simulated nodes:
// `kubectl create token`, using the token (`--token`), `auth whoami`, revocation by deleting the
// ServiceAccount, legacy token Secrets, and the token volume admission adds to pods.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../controllers/testing/controllerHarness';
import { type KubectlCluster, startKubectlCluster } from '../testing/kubectlCluster';
import { type Kubectl, kubectlRunner } from '../testing/kubectlRunner';

let cluster: KubectlCluster;
/** kubectl with a kubeconfig naming the cluster but no user, so `--token` is its only credential. */
let bearer: Kubectl;

const ok = (...args: string[]) => cluster.ok(...args);
const asToken = (token: string, ...args: string[]) => bearer(['--token', token, ...args]);

function writeUserlessKubeconfig(): string {
  const path = join(cluster.dir, 'userless.kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'kubedesk',
        cluster: {
          server: cluster.plane.url,
          'certificate-authority-data': Buffer.from(cluster.plane.caCert).toString('base64'),
        },
      },
    ],
    users: [{ name: 'nobody', user: {} }],
    contexts: [{ name: 'kubedesk', context: { cluster: 'kubedesk', user: 'nobody', namespace: 'default' } }],
    'current-context': 'kubedesk',
  };
  writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
  return path;
}

beforeAll(async () => {
  cluster = await startKubectlCluster({ name: 'satokens', simulatedNodes: 2 });
  bearer = kubectlRunner(writeUserlessKubeconfig(), cluster.dir);
  await eventually(
    async () => (await cluster.kubectl(['get', 'sa', 'default'])).code === 0,
    20_000,
    'default SA',
  );
}, 60_000);

afterAll(() => cluster?.stop());

describe('service account tokens with kubectl', () => {
  it('creates a token that lists pods and tells whoami the service account', async () => {
    const token = (await ok('create', 'token', 'default', '--duration', '10m')).trim();
    expect(token.split('.')).toHaveLength(3);
    const pods = await asToken(token, 'get', 'pods');
    expect(pods.code, pods.stderr).toBe(0);
    const whoami = await asToken(token, 'auth', 'whoami');
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.stdout).toMatch(/Username\s+system:serviceaccount:default:default/);
    expect(whoami.stdout).toMatch(
      /Groups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]/,
    );
  });

  it('refuses a garbage token with 401', async () => {
    const result = await asToken('not.a.token', 'get', 'pods');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('You must be logged in to the server (Unauthorized)');
  });

  it('stops honouring the token of a deleted ServiceAccount', async () => {
    await ok('create', 'serviceaccount', 'robot');
    const token = (await ok('create', 'token', 'robot')).trim();
    expect((await asToken(token, 'get', 'pods')).code).toBe(0);
    await ok('delete', 'serviceaccount', 'robot');
    const after = await asToken(token, 'get', 'pods');
    expect(after.stderr).toContain('Unauthorized');
  });

  it('rejects a duration under ten minutes the way kube-apiserver does', async () => {
    const result = await cluster.kubectl(['create', 'token', 'default', '--duration', '5m']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes',
    );
  });

  it('fills a legacy token Secret whose token authenticates while the Secret exists', async () => {
    await ok('create', 'serviceaccount', 'builder');
    const apply = await cluster.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/service-account-token',
        metadata: { name: 'builder-token', annotations: { 'kubernetes.io/service-account.name': 'builder' } },
      }),
    });
    expect(apply.code, apply.stderr).toBe(0);
    const secret = await eventually(async () => {
      const s = JSON.parse(await ok('get', 'secret', 'builder-token', '-o', 'json'));
      return s.data?.token ? s : undefined;
    });
    const uid = (await ok('get', 'sa', 'builder', '-o', 'jsonpath={.metadata.uid}')).trim();
    expect(secret.metadata.annotations['kubernetes.io/service-account.uid']).toBe(uid);
    expect(Buffer.from(secret.data['ca.crt'], 'base64').toString()).toBe(cluster.plane.caCert);
    expect(Buffer.from(secret.data.namespace, 'base64').toString()).toBe('default');
    const token = Buffer.from(secret.data.token, 'base64').toString();
    const whoami = await asToken(token, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}');
    expect(whoami.stdout).toBe('system:serviceaccount:default:builder');
    await ok('delete', 'secret', 'builder-token');
    expect((await asToken(token, 'get', 'pods')).stderr).toContain('Unauthorized');
  });

  it('gives a new pod the kube-api-access volume mounted in every container', async () => {
    await ok('run', 'web', '--image', 'busybox', '--restart', 'Never');
    const pod = JSON.parse(await ok('get', 'pod', 'web', '-o', 'json')) as V1Pod;
    expect(pod.spec?.serviceAccountName).toBe('default');
    const volume = pod.spec?.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
    expect(volume?.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(volume?.projected?.sources?.[0]?.serviceAccountToken).toEqual({
      path: 'token',
      expirationSeconds: 3607,
    });
    expect(pod.spec?.containers[0]?.volumeMounts).toEqual([
      { name: volume?.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
    ]);
  });

  it('refuses a pod whose ServiceAccount does not exist', async () => {
    const result = await cluster.kubectl([
      'run',
      'ghost',
      '--image',
      'busybox',
      '--overrides',
      '{"spec":{"serviceAccountName":"nobody"}}',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'pods "ghost" is forbidden: error looking up service account default/nobody: serviceaccount "nobody" not found',
    );
  });
});
