import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { nullLogger } from '../cluster/log';
import { type HeadlessHost, startHeadlessHost } from './headless';
import { createHostHandlers } from './host/host';
import { openConfSettings } from './host/settingsStore';

describe('the headless host', () => {
  let host: HeadlessHost;
  let origin: string;

  beforeAll(async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'kubedesk-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Kubedesk</title>');
    const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-data-'));
    const handlers = createHostHandlers({
      dataDir,
      mode: 'headless',
      version: '0.0.0',
      settings: openConfSettings(dataDir),
      log: nullLogger,
      readDockerStatus: async () => ({ state: 'unreachable', message: 'no engine in this test' }),
    });
    host = await startHeadlessHost({ handlers, rendererDir, log: nullLogger });
    origin = `http://127.0.0.1:${host.port}`;
  });
  afterAll(() => host.close());

  it('listens on loopback and refuses the page without the token', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect((await fetch(`${origin}/`)).status).toBe(401);
    expect((await fetch(`${origin}/assets/index.js`)).status).toBe(401);
  });

  it('serves the page with the token and sets a cookie that authenticates later requests', async () => {
    const first = await fetch(host.url);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('<title>Kubedesk</title>');
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await fetch(`${origin}/settings`, { headers: { cookie } })).status).toBe(200);
  });

  const connect = (url: string, headers: Record<string, string> = {}) =>
    new Promise<WebSocket | number>((resolve) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => resolve(-1));
    });

  it('refuses the WebSocket without the token or from another origin', async () => {
    expect(await connect(`ws://127.0.0.1:${host.port}/api`)).toBe(401);
    expect(
      await connect(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { origin: 'http://evil.example' }),
    ).toBe(401);
  });

  it('carries AppApi calls over the WebSocket with the token', async () => {
    const ws = await connect(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { origin });
    if (typeof ws === 'number') throw new Error(`connection refused: ${ws}`);
    const reply = new Promise<unknown>((resolve) =>
      ws.once('message', (data) => resolve(JSON.parse(data.toString()))),
    );
    ws.send(JSON.stringify({ type: 'call', id: 1, method: 'cluster.status', input: {} }));
    expect(await reply).toMatchObject({ type: 'result', id: 1, output: { state: 'stopped' } });
    ws.close();
  });
});
