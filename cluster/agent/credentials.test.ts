import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialFiles, kubeConfigFor, readCredentials } from './credentials';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubedesk-cred-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), `${text}\n`);
  return dir;
}

describe('readCredentials', () => {
  it('reads the server, CA and token and builds a kubeconfig for the node', () => {
    const dir = folder({
      [credentialFiles.server]: 'https://host.docker.internal:6443',
      [credentialFiles.ca]: 'CA',
      [credentialFiles.token]: 'tok',
    });
    const credentials = readCredentials(dir);
    expect(credentials).toEqual({ server: 'https://host.docker.internal:6443', ca: 'CA', token: 'tok' });
    const kc = kubeConfigFor(credentials, 'node-1');
    expect(kc.getCurrentCluster()?.server).toBe('https://host.docker.internal:6443');
    expect(kc.getCurrentUser()).toMatchObject({ name: 'node-1', token: 'tok' });
  });

  it('names the missing files', () => {
    expect(() => readCredentials(folder({ [credentialFiles.server]: 'https://x' }))).toThrow(
      'must hold server and ca.crt',
    );
    expect(() =>
      readCredentials(folder({ [credentialFiles.server]: 'https://x', [credentialFiles.ca]: 'CA' })),
    ).toThrow('must hold token or client.crt and client.key');
  });
});
