// The real kubectl 1.35 (Go's TLS stack, stricter than Node's) against a Node HTTPS server using our
// certificates, configured only through the kubeconfig we merge.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackKubeTools } from '../api/testing/kubeTools';
import { ensurePki, identityFromPeerCertificate, type Pki } from '../pki/index';
import { buildKubeconfigEntry, mergeIntoUserKubeconfig } from './index';

const run = promisify(execFile);

let dir: string;
let kubectl: string;
let pki: Pki;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-kubectl-'));
  kubectl = (await unpackKubeTools()).kubectl;
  pki = await ensurePki(join(dir, 'pki'), { serverSans: { dns: ['localhost'], ips: ['127.0.0.1'] } });
  // Answers /version with the identity it authenticated, the way the API server's x509 authenticator would.
  server = createServer(
    {
      cert: pki.serverCert,
      key: pki.serverKey,
      ca: pki.caCert,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const who = socket.authorized ? identityFromPeerCertificate(socket.getPeerCertificate()) : null;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ gitVersion: 'v1.35.0', who }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
}, 60_000);

afterAll(async () => {
  server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('kubectl with the merged kubeconfig', () => {
  it.each(['127.0.0.1', 'localhost'])(
    'trusts the serving certificate at %s and authenticates as the admin',
    async (host) => {
      const userPath = join(dir, host, 'config');
      const entry = buildKubeconfigEntry({
        name: 'kubedesk',
        server: `https://${host}:${port}`,
        caCert: pki.caCert,
        clientCert: pki.adminCert,
        clientKey: pki.adminKey,
      });
      await mergeIntoUserKubeconfig({ userPath, entry, switchContext: 'ifUnset' });
      const { stdout } = await run(kubectl, ['--kubeconfig', userPath, 'get', '--raw', '/version']);
      expect(JSON.parse(stdout).who).toEqual({ user: 'kubedesk-admin', groups: ['system:masters'] });
      const contexts = await run(kubectl, ['--kubeconfig', userPath, 'config', 'current-context']);
      expect(contexts.stdout.trim()).toBe('kubedesk');
    },
  );
});
