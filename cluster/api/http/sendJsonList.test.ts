import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJsonList } from './sendJsonList';

describe('sendJsonList', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  async function served(items: unknown[]): Promise<string> {
    const head = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '7' } };
    const json = items.map((item) => JSON.stringify(item));
    const server = createServer((_req, res) => void sendJsonList(res, head, json));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    return res.text();
  }

  it('writes the bytes JSON.stringify gives for the whole list, across many chunks', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({
      metadata: { name: `pod-${i}`, labels: { app: 'web', note: 'ünïcode "quoted"' } },
      spec: { containers: [{ name: 'app', image: 'x'.repeat(400) }] },
    }));
    const text = await served(items);
    expect(text.length).toBeGreaterThan(1024 * 1024);
    expect(text).toBe(
      JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items }),
    );
  });

  it('writes an empty list', async () => {
    expect(JSON.parse(await served([]))).toEqual({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '7' },
      items: [],
    });
  });
});
