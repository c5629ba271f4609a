import { useEffect, useRef, useState } from 'react';
import type {
  TableArgs,
  TableColumn,
  TableRowView,
  TableUpdate,
} from '../../main/host/clusterView/clusterViewContract';
import { api } from '../api/appApi';

export interface ResourceTableState {
  available: boolean;
  message?: string;
  columns: TableColumn[];
  rows: TableRowView[];
}

const empty: ResourceTableState = { available: false, columns: [], rows: [] };

/** Applies a stream of table updates to a row map (pure, so it is testable without React). */
export function applyTableUpdate(rows: Map<string, TableRowView>, update: TableUpdate): void {
  if (update.type === 'reset') {
    rows.clear();
    for (const row of update.rows) rows.set(row.key, row);
    return;
  }
  for (const row of update.upserts) rows.set(row.key, row);
  for (const key of update.removes) rows.delete(key);
}

/** A live table of one resource. Updates arriving between two frames are applied together, so a
 * burst of thousands of changes costs one render. */
export function useResourceTable(args: TableArgs): ResourceTableState {
  const [state, setState] = useState<ResourceTableState>(empty);
  const rows = useRef(new Map<string, TableRowView>());
  const key = JSON.stringify(args);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `args` by value.
  useEffect(() => {
    let meta: Omit<ResourceTableState, 'rows'> = { available: false, columns: [] };
    let frame: number | undefined;
    let cancelled = false;
    let stop: (() => Promise<void>) | undefined;
    rows.current = new Map();
    setState(empty);
    const render = () => {
      frame = undefined;
      setState({ ...meta, rows: [...rows.current.values()] });
    };
    const onUpdate = (update: TableUpdate) => {
      if (update.type === 'reset') {
        meta = { available: update.available, columns: update.columns };
        if (update.message) meta.message = update.message;
      }
      applyTableUpdate(rows.current, update);
      frame ??= requestAnimationFrame(render);
    };
    void api.subscribe('cluster.table', args, onUpdate).then((unsubscribe) => {
      if (cancelled) void unsubscribe();
      else stop = unsubscribe;
    });
    return () => {
      cancelled = true;
      if (frame !== undefined) cancelAnimationFrame(frame);
      void stop?.();
    };
  }, [key]);
  return state;
}
