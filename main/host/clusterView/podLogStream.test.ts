import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ApiServerClient } from './apiServerClient';
import type { PodLogsData } from './objectDetailsContract';
import { podLogPath, streamPodLogs } from './podLogStream';

const args = {
  namespace: 'shop',
  pod: 'web',
  container: 'app',
  follow: true,
  previous: false,
  timestamps: true,
  tailLines: 100,
};

/** A client whose one stream is `body`, answered with `status`. */
function fakeClient(status: number, body: PassThrough): ApiServerClient & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    request: () => Promise.reject(new Error('not used')),
    stream: async (path) => {
      paths.push(path);
      const response = Object.assign(body, { statusCode: status }) as unknown as IncomingMessage;
      return { response, abort: () => body.destroy() };
    },
  };
}

function collect() {
  const items: PodLogsData[] = [];
  let resolveEnd: () => void;
  const ended = new Promise<void>((resolve) => {
    resolveEnd = resolve;
  });
  const emit = (data: PodLogsData) => {
    items.push(data);
    if (data.type !== 'lines') resolveEnd();
  };
  return { items, emit, ended };
}

describe('a pod log stream', () => {
  it('asks pods/log with the chosen options and sends whole lines in batches', async () => {
    const body = new PassThrough();
    const client = fakeClient(200, body);
    const { items, emit, ended } = collect();
    streamPodLogs(args, emit, { client, flushMs: 5 });
    body.write('one\ntw');
    body.write('o\nthree');
    body.end();
    await ended;
    expect(client.paths).toEqual([
      '/api/v1/namespaces/shop/pods/web/log?container=app&follow=true&previous=false&timestamps=true&tailLines=100',
    ]);
    expect(items.flatMap((i) => (i.type === 'lines' ? i.lines : []))).toEqual(['one', 'two', 'three']);
    expect(items.at(-1)).toEqual({ type: 'end' });
  });

  it('keeps the newest lines of a burst and counts the ones it dropped', async () => {
    const body = new PassThrough();
    const { items, emit, ended } = collect();
    streamPodLogs(args, emit, { client: fakeClient(200, body), flushMs: 5, maxBatchLines: 3 });
    body.end(`${Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n')}\n`);
    await ended;
    expect(items[0]).toEqual({ type: 'lines', lines: ['line 7', 'line 8', 'line 9'], skipped: 7 });
  });

  it("passes on the API server's refusal as it worded it", async () => {
    const body = new PassThrough();
    const { items, emit, ended } = collect();
    streamPodLogs(args, emit, { client: fakeClient(400, body), flushMs: 5 });
    body.end(
      JSON.stringify({
        kind: 'Status',
        status: 'Failure',
        code: 400,
        reason: 'BadRequest',
        message: 'container "app" in pod "web" is waiting to start: ContainerCreating',
      }),
    );
    await ended;
    expect(items).toEqual([
      { type: 'error', message: 'container "app" in pod "web" is waiting to start: ContainerCreating' },
    ]);
  });

  it('stops reading when the subscriber leaves', async () => {
    const body = new PassThrough();
    const { items, emit } = collect();
    const stop = streamPodLogs(args, emit, { client: fakeClient(200, body), flushMs: 5 });
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    expect(body.destroyed).toBe(true);
    expect(items).toEqual([]);
  });

  it('encodes names into the path', () => {
    expect(podLogPath({ ...args, pod: 'a b' })).toContain('/pods/a%20b/log?');
  });
});
