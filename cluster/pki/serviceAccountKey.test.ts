import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePki } from './ensurePki';
import { ensureServiceAccountKey } from './serviceAccountKey';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-sakey-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('service account signing key', () => {
  it('is created once, private to the owner, and reused on the next start', async () => {
    const first = await ensureServiceAccountKey(dir);
    expect(first.privateKey).toContain('BEGIN PRIVATE KEY');
    expect(first.publicKey).toContain('BEGIN PUBLIC KEY');
    expect((await stat(join(dir, 'sa.key'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'sa.pub'), 'utf8')).toBe(first.publicKey);
    expect(await ensureServiceAccountKey(dir)).toEqual(first);
  });

  it('rewrites a missing public key from the private one', async () => {
    const first = await ensureServiceAccountKey(dir);
    await rm(join(dir, 'sa.pub'));
    expect((await ensureServiceAccountKey(dir)).publicKey).toBe(first.publicKey);
    expect(await readFile(join(dir, 'sa.pub'), 'utf8')).toBe(first.publicKey);
  });

  it('lives next to the CA in the PKI directory', async () => {
    const pki = await ensurePki(dir, { serverSans: { dns: ['localhost'], ips: ['127.0.0.1'] } });
    expect(await readFile(join(dir, 'sa.key'), 'utf8')).toBe(pki.serviceAccountKey.privateKey);
    const again = await ensurePki(dir, { serverSans: { dns: ['localhost'], ips: ['127.0.0.1'] } });
    expect(again.serviceAccountKey).toEqual(pki.serviceAccountKey);
  });
});
