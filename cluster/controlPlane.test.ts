// Assembly of the control plane: kubeconfig file, port fallback and the loopback-only rule.

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ControlPlane, startControlPlane } from './controlPlane';
import { createMemoryStore } from './store/memoryStore';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubedesk-plane-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(port: number, dataDir = tempDir()): Promise<ControlPlane> {
  const plane = await startControlPlane({ dataDir, store: createMemoryStore(), port });
  cleanups.push(() => plane.stop());
  return plane;
}

describe('startControlPlane', () => {
  it('writes an owner-only admin kubeconfig pointing at the loopback server', async () => {
    const plane = await start(0);
    expect(plane.url).toBe(`https://127.0.0.1:${plane.port}`);
    expect(statSync(plane.kubeconfigPath).mode & 0o777).toBe(0o600);
    const config = parse(readFileSync(plane.kubeconfigPath, 'utf8'));
    expect(config['current-context']).toBe('kubedesk');
    expect(config.clusters[0].cluster.server).toBe(plane.url);
    expect(plane.kubeconfigEntry.name).toBe('kubedesk');
  });

  it('authenticates agents by the client certificates it issues', async () => {
    const plane = await start(0);
    const { cert, key } = await plane.issueClientCert('system:node:n1', ['system:nodes']);
    const review = await new Promise<{ status: { userInfo: { username: string; groups: string[] } } }>(
      (resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port: plane.port,
            method: 'POST',
            path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
            headers: { 'Content-Type': 'application/json' },
            ca: plane.caCert,
            cert,
            key,
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => {
              text += String(chunk);
            });
            res.on('end', () => resolve(JSON.parse(text)));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }));
      },
    );
    expect(review.status.userInfo).toEqual({
      username: 'system:node:n1',
      groups: ['system:nodes', 'system:authenticated'],
    });
  });

  it('falls back to a free port when the requested one is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const taken = (blocker.address() as { port: number }).port;
    const plane = await start(taken);
    expect(plane.port).not.toBe(taken);
    expect(plane.port).toBeGreaterThan(0);
  });

  it('refuses to listen on all interfaces', async () => {
    await expect(
      startControlPlane({ dataDir: tempDir(), store: createMemoryStore(), bindAddresses: ['0.0.0.0'] }),
    ).rejects.toThrow('never listens on all interfaces');
  });
});
