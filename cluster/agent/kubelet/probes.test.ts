import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCa, issueCert } from '../../pki/certificates';
import { ProbeTracker, runProbe } from './probes';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const target = (exitCode = 0) => ({
  podIP: '127.0.0.1',
  exec: async () => exitCode,
  namedPort: (n: string) => (n === 'http' ? httpPort : undefined),
});
let httpPort = 0;

describe('runProbe', () => {
  it('passes an httpGet probe on 2xx/3xx and fails it on 5xx, following named ports and headers', async () => {
    httpPort = await listen(
      createHttpServer((req, res) => {
        res.statusCode = req.url === '/healthz' && req.headers['x-probe'] === 'yes' ? 204 : 500;
        res.end();
      }),
    );
    expect(
      await runProbe(
        { httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] } },
        target(),
      ),
    ).toBe(true);
    expect(await runProbe({ httpGet: { path: '/other', port: httpPort } }, target())).toBe(false);
    expect(await runProbe({ httpGet: { path: '/', port: 'nope' } }, target())).toBe(false);
  });

  it('sends an HTTPS probe without verifying the certificate, as the kubelet does', async () => {
    const now = new Date();
    const ca = await createCa({ cn: 'probe-test-ca', now, validityDays: 1 });
    const serving = await issueCert({
      ca,
      cn: 'pod',
      usage: 'server',
      sans: { dns: ['pod'], ips: ['127.0.0.1'] },
      now,
      validityDays: 1,
    });
    const port = await listen(
      createHttpsServer({ cert: serving.cert, key: serving.key }, (_req, res) =>
        res.end('ok'),
      ) as unknown as Server,
    );
    expect(await runProbe({ httpGet: { port, scheme: 'HTTPS' } }, target())).toBe(true);
    expect(await runProbe({ httpGet: { port, scheme: 'HTTP' } }, target())).toBe(false);
  });

  it('passes a tcpSocket probe when the port accepts and fails when it refuses', async () => {
    const open = await listen(createTcpServer((s) => s.end()) as unknown as Server);
    expect(await runProbe({ tcpSocket: { port: open } }, target())).toBe(true);
    servers.pop()?.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(await runProbe({ tcpSocket: { port: open } }, target())).toBe(false);
  });

  it('treats exec exit 0 as success', async () => {
    expect(await runProbe({ exec: { command: ['true'] } }, target(0))).toBe(true);
    expect(await runProbe({ exec: { command: ['false'] } }, target(1))).toBe(false);
  });
});

describe('ProbeTracker', () => {
  it('waits the initial delay and period, and needs the failure threshold in a row', () => {
    const tracker = new ProbeTracker({ initialDelaySeconds: 5, periodSeconds: 2, failureThreshold: 2 }, 0);
    expect(tracker.due(4_000)).toBe(false);
    expect(tracker.due(5_000)).toBe(true);
    expect(tracker.record(false, 5_000)).toBeUndefined();
    expect(tracker.due(6_000)).toBe(false);
    expect(tracker.record(true, 7_000)).toBe(true);
    tracker.record(false, 9_000);
    expect(tracker.record(false, 11_000)).toBe(false);
  });
});
