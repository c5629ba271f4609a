import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJsonList } from './sendJsonList';

describe('sendJsonList', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  const head = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '7' } };

  async function fetchFrom(send: Parameters<typeof createServer>[1]): Promise<Response> {
    const server = createServer(send);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  }

  /** Serves `items` as a first page of 100 and further pages of 700. */
  async function served(items: unknown[]): Promise<string> {
    const json = items.map((item) => JSON.stringify(item));
    async function* pages() {
      yield json.slice(0, 100);
      for (let at = 100; at < json.length; at += 700) yield json.slice(at, at + 700);
    }
    const res = await fetchFrom((_req, res) => void sendJsonList(res, head, pages()));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    return res.text();
  }

  it('writes the bytes JSON.stringify gives for the whole list, across many chunks', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({
      metadata: { name: `pod-${i}`, labels: { app: 'web', note: 'ünïcode "quoted"' } },
      spec: { containers: [{ name: 'app', image: 'x'.repeat(400) }] },
    }));
    // One item larger than a whole chunk buffer.
    items[1500] = { metadata: { name: 'huge', annotations: { blob: 'ü'.repeat(300 * 1024) } } } as never;
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

  it('cuts the connection when a later page fails, so a client never takes a partial list as whole', async () => {
    async function* failing() {
      yield ['{"metadata":{"name":"a"}}'];
      yield ['{"metadata":{"name":"b"}}'];
      throw new Error('the store went away');
    }
    // Depending on how much was written, the headers may not have left yet either.
    const body = fetchFrom((_req, res) => void sendJsonList(res, head, failing())).then((res) => res.text());
    await expect(body).rejects.toThrow();
  });
});
