import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtSigner, type JwtSigner, keyIdOf } from './jwtSigner';
import { ensureServiceAccountKey, type ServiceAccountKey } from './serviceAccountKey';

let dirs: string[] = [];
let key: ServiceAccountKey;
let signer: JwtSigner;
let other: JwtSigner;

const now = new Date('2026-01-01T00:00:00Z');
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

beforeAll(async () => {
  dirs = [await mkdtemp(join(tmpdir(), 'kubedesk-jwt-')), await mkdtemp(join(tmpdir(), 'kubedesk-jwt-'))];
  key = await ensureServiceAccountKey(dirs[0] as string);
  signer = createJwtSigner(key);
  other = createJwtSigner(await ensureServiceAccountKey(dirs[1] as string));
});
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('JWT signer', () => {
  it('signs ES256 tokens with the key id and verifies them back', async () => {
    const token = await signer.sign({ sub: 'someone', exp: seconds(now) + 600 });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: keyIdOf(key.publicKey) });
    expect(await signer.verify(token, now)).toMatchObject({ sub: 'someone' });
  });

  it('refuses tokens of another key, tampered tokens and garbage', async () => {
    const foreign = await other.sign({ sub: 'someone' });
    expect(await signer.verify(foreign, now)).toBeUndefined();
    const [header, , signature] = (await signer.sign({ sub: 'someone' })).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin' })).toString('base64url');
    expect(await signer.verify(`${header}.${forged}.${signature}`, now)).toBeUndefined();
    expect(await signer.verify('not-a-token', now)).toBeUndefined();
  });

  it('honours exp and nbf with a minute of leeway', async () => {
    const token = await signer.sign({ sub: 'someone', nbf: seconds(now), exp: seconds(now) + 600 });
    expect(await signer.verify(token, new Date(now.getTime() + 650_000))).toBeDefined();
    expect(await signer.verify(token, new Date(now.getTime() + 700_000))).toBeUndefined();
    expect(await signer.verify(token, new Date(now.getTime() - 120_000))).toBeUndefined();
  });

  it('accepts a token without exp (legacy tokens never expire)', async () => {
    const token = await signer.sign({ iss: 'kubernetes/serviceaccount', sub: 'someone' });
    expect(await signer.verify(token, new Date('2099-01-01T00:00:00Z'))).toMatchObject({ sub: 'someone' });
  });
});
