import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCert } from './certificates';
import { ensurePki, identityFromPeerCertificate, type Pki } from './index';

const sans = { dns: ['localhost', 'kubernetes.default.svc'], ips: ['127.0.0.1', '::1'] };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-pki-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Handshake {
  clientAuthorized: boolean;
  clientError?: string;
  serverSawAuthorized: boolean;
  peer?: tls.PeerCertificate;
}

/** A real TLS server with the serving certificate, asking for client certificates like the API server. */
async function handshake(pki: Pki, connect: Partial<tls.ConnectionOptions>): Promise<Handshake> {
  let serverSawAuthorized = false;
  let peer: tls.PeerCertificate | undefined;
  const server = tls.createServer(
    {
      cert: pki.serverCert,
      key: pki.serverKey,
      ca: pki.caCert,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (socket) => {
      serverSawAuthorized = socket.authorized;
      const cert = socket.getPeerCertificate();
      peer = cert && Object.keys(cert).length > 0 ? cert : undefined;
      socket.end('ok');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<Handshake>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, ca: pki.caCert, ...connect });
      socket.on('data', () => {
        resolve({ clientAuthorized: socket.authorized, serverSawAuthorized, peer });
        socket.destroy();
      });
      socket.on('error', (err) =>
        resolve({ clientAuthorized: false, clientError: err.message, serverSawAuthorized, peer }),
      );
    });
  } finally {
    server.close();
  }
}

describe('ensurePki', () => {
  it('creates the CA, serving and admin files with private keys readable only by the owner', async () => {
    await ensurePki(dir, { serverSans: sans });
    for (const key of ['ca.key', 'apiserver.key', 'admin.key']) {
      expect((await stat(join(dir, key))).mode & 0o777).toBe(0o600);
      expect(await readFile(join(dir, key), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    }
    expect(await readFile(join(dir, 'ca.crt'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it.each([
    ['localhost', { servername: 'localhost' }],
    ['kubernetes.default.svc', { servername: 'kubernetes.default.svc' }],
    ['127.0.0.1', {}],
  ])('serves a certificate that verifies against the CA for %s', async (_name, connect) => {
    const pki = await ensurePki(dir, { serverSans: sans });
    const result = await handshake(pki, connect);
    expect(result.clientError).toBeUndefined();
    expect(result.clientAuthorized).toBe(true);
  });

  it('rejects a name that is not among the SANs', async () => {
    const pki = await ensurePki(dir, { serverSans: sans });
    const result = await handshake(pki, { servername: 'example.com' });
    expect(result.clientError).toMatch(/does not match certificate's altnames|Hostname\/IP does not match/);
  });

  it('covers IPv6 SANs', async () => {
    const pki = await ensurePki(dir, { serverSans: sans });
    expect(readCert(pki.serverCert).sans.ips.sort()).toEqual(['127.0.0.1', '::1']);
    // checkServerIdentity is what a TLS client applies to an IP host.
    const cert = new (await import('node:crypto')).X509Certificate(pki.serverCert);
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkHost('kubernetes.default.svc')).toBe('kubernetes.default.svc');
  });

  it('authenticates the admin client certificate as kubedesk-admin in system:masters', async () => {
    const pki = await ensurePki(dir, { serverSans: sans });
    const result = await handshake(pki, { cert: pki.adminCert, key: pki.adminKey });
    expect(result.serverSawAuthorized).toBe(true);
    expect(result.peer && identityFromPeerCertificate(result.peer)).toEqual({
      user: 'kubedesk-admin',
      groups: ['system:masters'],
    });
  });

  it('issues node client certificates that the server accepts', async () => {
    const pki = await ensurePki(dir, { serverSans: sans });
    const node = await pki.issueClientCert('system:node:kubedesk-worker', ['system:nodes']);
    const result = await handshake(pki, { cert: node.cert, key: node.key });
    expect(result.serverSawAuthorized).toBe(true);
    expect(result.peer && identityFromPeerCertificate(result.peer)).toEqual({
      user: 'system:node:kubedesk-worker',
      groups: ['system:nodes'],
    });
  });

  it('reads several organizations as several groups', async () => {
    const pki = await ensurePki(dir, { serverSans: sans });
    const multi = await pki.issueClientCert('alice', ['devs', 'ops']);
    const result = await handshake(pki, { cert: multi.cert, key: multi.key });
    expect(result.peer && identityFromPeerCertificate(result.peer)).toEqual({
      user: 'alice',
      groups: ['devs', 'ops'],
    });
  });

  it('does not authorize a client certificate from another CA', async () => {
    const pki = await ensurePki(dir, { serverSans: sans });
    const otherDir = await mkdtemp(join(tmpdir(), 'kubedesk-pki-other-'));
    try {
      const other = await ensurePki(otherDir, { serverSans: sans });
      const result = await handshake(pki, { cert: other.adminCert, key: other.adminKey });
      expect(result.serverSawAuthorized).toBe(false);
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('loads the same certificates on a later start', async () => {
    const first = await ensurePki(dir, { serverSans: sans });
    const second = await ensurePki(dir, {
      serverSans: { dns: [...sans.dns].reverse(), ips: ['0:0:0:0:0:0:0:1', '127.0.0.1'] },
    });
    expect(second.caCert).toBe(first.caCert);
    expect(second.serverCert).toBe(first.serverCert);
    expect(second.adminCert).toBe(first.adminCert);
  });

  it('reissues only the serving certificate when the wanted names change', async () => {
    const first = await ensurePki(dir, { serverSans: sans });
    const second = await ensurePki(dir, { serverSans: { dns: sans.dns, ips: [...sans.ips, '172.18.0.1'] } });
    expect(second.caCert).toBe(first.caCert);
    expect(second.adminCert).toBe(first.adminCert);
    expect(second.serverCert).not.toBe(first.serverCert);
    expect(readCert(second.serverCert).sans.ips).toContain('172.18.0.1');
    expect(await readFile(join(dir, 'apiserver.crt'), 'utf8')).toBe(second.serverCert);
  });

  it('reissues leaf certificates near expiry but keeps the CA', async () => {
    const first = await ensurePki(dir, { serverSans: sans });
    const later = new Date(Date.now() + 340 * 24 * 60 * 60 * 1000);
    const second = await ensurePki(dir, { serverSans: sans, now: later });
    expect(second.caCert).toBe(first.caCert);
    expect(second.serverCert).not.toBe(first.serverCert);
    expect(second.adminCert).not.toBe(first.adminCert);
    expect(readCert(second.serverCert).notAfter.getTime()).toBeGreaterThan(later.getTime());
  });
});
