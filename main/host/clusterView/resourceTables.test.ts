import { afterEach, describe, expect, it } from 'vitest';
import { resources } from '../../../cluster/controllers/runtime/resources';
import {
  type ControllerHarness,
  eventually,
  startControllerHarness,
} from '../../../cluster/controllers/testing/controllerHarness';
import type { ClusterStatus } from '../contract';
import type { TableRowView, TableUpdate } from './clusterViewContract';
import { type ClusterViewSource, subscribeTable } from './resourceTables';

function sourceOver(h: ControllerHarness | undefined) {
  const listeners = new Set<(s: ClusterStatus) => void>();
  let running = h;
  const source: ClusterViewSource = {
    current: () =>
      running
        ? { state: 'running', message: 'up', nodes: 0 }
        : { state: 'stopped', message: 'Kubernetes is not running', nodes: 0 },
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    controllerContext: () => running?.ctx,
  };
  return {
    source,
    switchTo(next: ControllerHarness | undefined) {
      running = next;
      for (const l of listeners) l(source.current());
    },
  };
}

/** Keeps the rows the updates describe, as the renderer does. */
function tableOf(updates: TableUpdate[]): Map<string, TableRowView> {
  const rows = new Map<string, TableRowView>();
  for (const u of updates) {
    if (u.type === 'reset') {
      rows.clear();
      for (const r of u.rows) rows.set(r.key, r);
    } else {
      for (const r of u.upserts) rows.set(r.key, r);
      for (const k of u.removes) rows.delete(k);
    }
  }
  return rows;
}

describe('cluster tables', () => {
  let h: ControllerHarness | undefined;
  afterEach(async () => h?.stop());

  it('streams a snapshot with kubectl columns, then batched changes with health', async () => {
    h = await startControllerHarness([]);
    const pods = h.ctx.client.resource(resources.pods);
    await pods.create({
      metadata: { name: 'a', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    const { source } = sourceOver(h);
    const updates: TableUpdate[] = [];
    const stop = subscribeTable(source, { resource: 'pods', namespace: 'default' }, (u) => updates.push(u), {
      flushMs: 10,
    });
    const reset = await eventually(() => updates.find((u) => u.type === 'reset' && u.available));
    if (reset.type !== 'reset') throw new Error('not a reset');
    expect(reset.columns.map((c) => c.name).slice(0, 5)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
    ]);
    expect(reset.rows.map((r) => [r.key, r.cells[2], r.health])).toEqual([
      ['default/a', 'Pending', 'progress'],
    ]);

    await pods.create({
      metadata: { name: 'b', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    await pods.create({
      metadata: { name: 'elsewhere', namespace: 'kube-system' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    await pods.mutate(
      'default',
      'a',
      (p) => {
        p.status = {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [
            { name: 'c', image: 'x', imageID: '', ready: true, restartCount: 0, state: { running: {} } },
          ],
        };
        return p;
      },
      { subresource: 'status' },
    );
    await pods.delete('default', 'b', { gracePeriodSeconds: 0 });
    const rows = await eventually(() => {
      const t = tableOf(updates);
      return t.get('default/a')?.health === 'ok' && !t.has('default/b') ? t : undefined;
    });
    expect([...rows.keys()]).toEqual(['default/a']);
    expect(rows.get('default/a')?.cells.slice(1, 3)).toEqual(['1/1', 'Running']);
    stop();
  });

  it('sends a change at once when the stream is idle, not after the coalescing period', async () => {
    h = await startControllerHarness([]);
    const pods = h.ctx.client.resource(resources.pods);
    const { source } = sourceOver(h);
    const updates: TableUpdate[] = [];
    const stop = subscribeTable(source, { resource: 'pods' }, (u) => updates.push(u), { flushMs: 600_000 });
    await eventually(() => updates.find((u) => u.type === 'reset' && u.available));
    await pods.create({
      metadata: { name: 'first', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    const change = await eventually(() => updates.find((u) => u.type === 'changes'));
    expect(change).toMatchObject({ type: 'changes', upserts: [{ key: 'default/first' }], removes: [] });
    stop();
  });

  it('says the cluster is not running, and follows it starting', async () => {
    const { source, switchTo } = sourceOver(undefined);
    const updates: TableUpdate[] = [];
    const stop = subscribeTable(source, { resource: 'namespaces' }, (u) => updates.push(u), { flushMs: 10 });
    expect(updates[0]).toMatchObject({
      type: 'reset',
      available: false,
      message: 'Kubernetes is not running',
    });
    h = await startControllerHarness([]);
    switchTo(h);
    const reset = await eventually(() => updates.find((u) => u.type === 'reset' && u.available));
    if (reset.type !== 'reset') throw new Error('not a reset');
    expect(reset.rows.map((r) => r.name)).toEqual(expect.arrayContaining(['default', 'kube-system']));
    stop();
  });
});
