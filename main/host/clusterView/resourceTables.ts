import type { ApiObject } from '../../../cluster/controllers/runtime/apiObject';
import type { ControllerContext } from '../../../cluster/controllers/runtime/controllerContext';
import type { InformerHandlers } from '../../../cluster/controllers/runtime/informer';
import { objectKey } from '../../../cluster/controllers/runtime/objectKey';
import type { Logger } from '../../../cluster/log';
import { tableColumnsFor, tableRowCells } from '../../../cluster/registry/tables';
import type { ClusterStatusSource } from '../host';
import type { TableArgs, TableColumn, TableRowView, TableUpdate } from './clusterViewContract';
import { rowHealth } from './rowHealth';
import { viewResources } from './viewResources';

// Live tables for the dashboard, fed by the control plane's shared informers (the same single
// watch per resource the controllers use), so no page ever polls the API server. A change goes
// out on the next turn of the event loop when the stream is idle; under load, changes are
// coalesced so that batches leave at most one per `flushMs` (about a frame), whatever the rate
// of change.

export interface ClusterViewSource extends ClusterStatusSource {
  /** The running control plane's client and informers; undefined while no cluster runs. */
  controllerContext(): ControllerContext | undefined;
}

const defaultFlushMs = 16;

/** Rows are computed once per object version and shared by every subscriber; a cached row is
 * reused for a second, the resolution of the time-dependent cells (LAST SEEN, restarts' "ago"). */
const rowReuseMs = 1000;
const rowCache = new WeakMap<ApiObject, { row: TableRowView; at: number }>();

type Cell = TableRowView['cells'][number];

function primitive(value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

export function columnsOf(args: TableArgs): TableColumn[] {
  const { group, kind } = viewResources[args.resource];
  return tableColumnsFor(group, kind).map(({ name, type, description, priority }) => ({
    name,
    type,
    description,
    priority,
  }));
}

export function rowOf(args: TableArgs, obj: ApiObject, now: Date): TableRowView {
  const { group, kind } = viewResources[args.resource];
  const cells = tableRowCells(group, kind, obj, now);
  const meta = obj.metadata ?? {};
  const row: TableRowView = {
    key: objectKey(obj),
    name: meta.name ?? '',
    cells: cells.map(primitive),
    health: rowHealth(args.resource, obj, cells),
  };
  if (meta.namespace) row.namespace = meta.namespace;
  if (meta.creationTimestamp) row.created = String(meta.creationTimestamp);
  return row;
}

function sharedRowOf(args: TableArgs, obj: ApiObject, now: Date): TableRowView {
  const cached = rowCache.get(obj);
  if (cached && now.getTime() - cached.at < rowReuseMs) return cached.row;
  const row = rowOf(args, obj, now);
  rowCache.set(obj, { row, at: now.getTime() });
  return row;
}

export function subscribeTable(
  source: ClusterViewSource,
  args: TableArgs,
  emit: (update: TableUpdate) => void,
  options: { log?: Logger; flushMs?: number } = {},
): () => void {
  const ref = viewResources[args.resource];
  const inScope = (obj: ApiObject) => !args.namespace || obj.metadata?.namespace === args.namespace;
  let bound: { ctx: ControllerContext; detach: () => void } | undefined;
  let closed = false;
  const upserts = new Map<string, ApiObject>();
  const removes = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let lastFlushAt = Number.NEGATIVE_INFINITY;
  const flushMs = options.flushMs ?? defaultFlushMs;

  const flush = () => {
    timer = undefined;
    if (closed || (upserts.size === 0 && removes.size === 0)) return;
    const now = new Date();
    lastFlushAt = now.getTime();
    emit({
      type: 'changes',
      upserts: [...upserts.values()].map((obj) => sharedRowOf(args, obj, now)),
      removes: [...removes],
    });
    upserts.clear();
    removes.clear();
  };
  // The next tick still gathers a burst delivered in one go (a relist, a watch catching up).
  const schedule = () => {
    timer ??= setTimeout(flush, Math.max(0, lastFlushAt + flushMs - Date.now()));
  };

  const unavailable = (message: string) =>
    emit({ type: 'reset', available: false, message, columns: columnsOf(args), rows: [] });

  async function bind(ctx: ControllerContext): Promise<void> {
    const informer = ctx.informers.for(ref);
    const handlers: InformerHandlers<ApiObject> = {
      onAdd: (obj) => {
        if (!inScope(obj)) return;
        removes.delete(objectKey(obj));
        upserts.set(objectKey(obj), obj);
        schedule();
      },
      // A resync re-delivers the cached object itself: nothing for the table to send.
      onUpdate: (old, obj) => {
        if (old !== obj) handlers.onAdd?.(obj);
      },
      onDelete: (obj) => {
        if (!inScope(obj)) return;
        upserts.delete(objectKey(obj));
        removes.add(objectKey(obj));
        schedule();
      },
    };
    bound = { ctx, detach: () => informer.removeHandlers(handlers) };
    await informer.start();
    if (closed || bound?.ctx !== ctx) return;
    const now = new Date();
    informer.addHandlers(handlers, { replay: false });
    emit({
      type: 'reset',
      available: true,
      columns: columnsOf(args),
      // Unordered: the page orders rows by its own sort.
      rows: informer.list(args.namespace).map((obj) => sharedRowOf(args, obj, now)),
    });
  }

  const follow = () => {
    const ctx = source.controllerContext();
    if (bound?.ctx === ctx && ctx) return;
    bound?.detach();
    bound = undefined;
    if (!ctx) {
      unavailable(source.current().message);
      return;
    }
    bind(ctx).catch((err: unknown) => {
      options.log?.warn('cluster table not available', { resource: args.resource, error: String(err) });
      unavailable(`Could not read ${args.resource}: ${(err as Error).message}`);
    });
  };

  const stopFollowing = source.onChange(follow);
  follow();
  return () => {
    closed = true;
    clearTimeout(timer);
    stopFollowing();
    bound?.detach();
  };
}
