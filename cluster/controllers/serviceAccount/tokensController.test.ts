// Legacy token Secrets get their token, CA and namespace, and go away with their ServiceAccount.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Secret } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLegacyClaims } from '../../api/serviceAccountTokens/tokenClaims';
import { createJwtSigner, type JwtSigner } from '../../pki';
import { ensureServiceAccountKey } from '../../pki/serviceAccountKey';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { serviceAccountController } from './serviceAccountController';
import {
  serviceAccountNameAnnotation,
  serviceAccountTokensController,
  serviceAccountTokenType,
  serviceAccountUidAnnotation,
} from './tokensController';

const caCert = '-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n';
let h: ControllerHarness;
let dir: string;
let signer: JwtSigner;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubedesk-tokens-'));
  signer = createJwtSigner(await ensureServiceAccountKey(dir));
  h = await startControllerHarness([
    serviceAccountController,
    serviceAccountTokensController({ signer, caCert }),
  ]);
});
afterEach(async () => {
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
});

const secrets = () => h.ctx.client.resource(resources.secrets);
const accounts = () => h.ctx.client.resource(resources.serviceAccounts);
const decode = (v: string | undefined) => Buffer.from(v ?? '', 'base64').toString('utf8');

function tokenSecret(name: string, sa: string): V1Secret {
  return {
    metadata: { name, namespace: 'default', annotations: { [serviceAccountNameAnnotation]: sa } },
    type: serviceAccountTokenType,
  };
}

describe('tokens controller', () => {
  it('fills a token Secret with a legacy token, the CA, the namespace and the account uid', async () => {
    const sa = await accounts().create({ metadata: { name: 'builder', namespace: 'default' } });
    await secrets().create(tokenSecret('builder-token', 'builder'));
    const filled = await eventually(async () => {
      const s = await secrets().get('default', 'builder-token');
      return s?.data?.token ? s : undefined;
    });
    expect(filled.metadata?.annotations?.[serviceAccountUidAnnotation]).toBe(sa.metadata?.uid);
    expect(decode(filled.data?.['ca.crt'])).toBe(caCert);
    expect(decode(filled.data?.namespace)).toBe('default');
    const claims = await signer.verify(decode(filled.data?.token), new Date('2099-01-01T00:00:00Z'));
    expect(claims?.exp).toBeUndefined();
    expect(claims && readLegacyClaims(claims)).toEqual({
      namespace: 'default',
      secretName: 'builder-token',
      serviceAccount: { name: 'builder', uid: sa.metadata?.uid },
    });
  });

  it('restores a removed CA but keeps the token it issued', async () => {
    await accounts().create({ metadata: { name: 'builder', namespace: 'default' } });
    await secrets().create(tokenSecret('builder-token', 'builder'));
    const first = await eventually(
      async () => (await secrets().get('default', 'builder-token'))?.data?.token,
    );
    await secrets().mutate('default', 'builder-token', (s) => {
      delete s.data?.['ca.crt'];
      return s;
    });
    const restored = await eventually(async () => {
      const s = await secrets().get('default', 'builder-token');
      return s?.data?.['ca.crt'] ? s : undefined;
    });
    expect(restored.data?.token).toBe(first);
  });

  it('deletes token Secrets of a missing or deleted ServiceAccount', async () => {
    await secrets().create(tokenSecret('orphan-token', 'nobody'));
    await eventually(async () => !(await secrets().get('default', 'orphan-token')), 10_000, 'orphan deleted');

    await accounts().create({ metadata: { name: 'temp', namespace: 'default' } });
    await secrets().create(tokenSecret('temp-token', 'temp'));
    await eventually(async () => (await secrets().get('default', 'temp-token'))?.data?.token);
    await accounts().delete('default', 'temp');
    await eventually(async () => !(await secrets().get('default', 'temp-token')), 10_000, 'token deleted');
  });

  it('leaves other Secrets alone', async () => {
    await secrets().create({ metadata: { name: 'plain', namespace: 'default' }, data: { a: 'Yg==' } });
    await accounts().create({ metadata: { name: 'marker', namespace: 'default' } });
    await secrets().create(tokenSecret('marker-token', 'marker'));
    await eventually(async () => (await secrets().get('default', 'marker-token'))?.data?.token);
    expect((await secrets().get('default', 'plain'))?.data).toEqual({ a: 'Yg==' });
  });
});
