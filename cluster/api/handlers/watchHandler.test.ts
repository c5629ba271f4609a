// Watch streams: WatchList initial events and bookmark, resume, selector transitions, Table
// events, single-object watches and 410 after compaction.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '../testing/testApiServer';

let server: TestApiServer;
const cms = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  server = await startTestApiServer();
});

afterAll(async () => {
  await server.stop();
});

const names = (events: { object: { metadata?: { name?: string } } }[]) =>
  events.map((e) => e.object.metadata?.name);

describe('watch', () => {
  it('streams current objects then the initial-events-end bookmark for WatchList', async () => {
    await server.request('POST', cms, { body: { metadata: { name: 'w1' } } });
    const watch = await server.watch(
      `${cms}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
    );
    try {
      await expect.poll(() => watch.events.some((e) => e.type === 'BOOKMARK')).toBe(true);
      const end = watch.events.findIndex((e) => e.type === 'BOOKMARK');
      const initial = watch.events.slice(0, end);
      expect(initial.every((e) => e.type === 'ADDED')).toBe(true);
      expect(names(initial)).toContain('w1');
      const bookmark = watch.events[end];
      expect(bookmark?.type).toBe('BOOKMARK');
      expect(bookmark?.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
      await server.request('POST', cms, { body: { metadata: { name: 'w2' } } });
      await expect.poll(() => names(watch.events)).toContain('w2');
    } finally {
      watch.close();
    }
  });

  it('resumes after a resourceVersion and turns label changes into ADDED/DELETED', async () => {
    const list = await server.request('GET', cms);
    const watch = await server.watch(
      `${cms}?watch=true&labelSelector=sel%3Dyes&resourceVersion=${list.body.metadata.resourceVersion}`,
    );
    try {
      await server.request('POST', cms, { body: { metadata: { name: 'w3', labels: { sel: 'yes' } } } });
      await server.request('PATCH', `${cms}/w3`, {
        body: { metadata: { labels: { sel: 'no' } } },
        contentType: 'application/merge-patch+json',
      });
      await expect.poll(() => watch.events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    } finally {
      watch.close();
    }
  });

  it('sends a synthetic ADDED for a single-object watch at resourceVersion 0', async () => {
    const watch = await server.watch(`${cms}?watch=true&fieldSelector=metadata.name%3Dw1&resourceVersion=0`);
    try {
      await expect.poll(() => names(watch.events)).toEqual(['w1']);
    } finally {
      watch.close();
    }
  });

  it('formats events as one-row Tables with column definitions only on the first', async () => {
    const list = await server.request('GET', cms);
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const watch = await server.watch(
      `${cms}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
      { accept },
    );
    try {
      await server.request('POST', cms, { body: { metadata: { name: 't1' } } });
      await server.request('POST', cms, { body: { metadata: { name: 't2' } } });
      await expect.poll(() => watch.events.length).toBe(2);
      const [first, second] = watch.events;
      expect(first?.object.kind).toBe('Table');
      expect(first?.object.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
        'Name',
        'Data',
        'Age',
      ]);
      expect(first?.object.rows[0].cells[0]).toBe('t1');
      expect(second?.object.columnDefinitions).toBeUndefined();
      expect(second?.object.rows[0].cells[0]).toBe('t2');
    } finally {
      watch.close();
    }
  });

  it('ends with a 410 Expired ERROR event when the start revision was compacted', async () => {
    const revision = await server.store.currentRevision();
    await server.store.compact(revision);
    const watch = await server.watch(`${cms}?watch=true&resourceVersion=1`);
    try {
      await expect.poll(() => watch.events.length).toBe(1);
      expect(watch.events[0]).toMatchObject({
        type: 'ERROR',
        object: { kind: 'Status', code: 410, reason: 'Expired' },
      });
    } finally {
      watch.close();
    }
  });

  it('rejects sendInitialEvents without resourceVersionMatch=NotOlderThan', async () => {
    const res = await server.request('GET', `${cms}?watch=true&sendInitialEvents=true`);
    expect(res.status).toBe(400);
  });
});
