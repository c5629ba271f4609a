import { useEffect, useRef, useState } from 'react';
import type {
  TableArgs,
  TableColumn,
  TableRowView,
  TableUpdate,
} from '../../main/host/clusterView/clusterViewContract';
import { KeyOrderedRows } from './keyOrderedRows';
import { subscribeTopic } from './subscribeTopic';

export interface ResourceTableState {
  available: boolean;
  message?: string;
  columns: TableColumn[];
  /** In key order: namespace, then name. */
  rows: TableRowView[];
}

const empty: ResourceTableState = { available: false, columns: [], rows: [] };

/** A live table of one resource. Updates arriving between two frames are applied together, so a
 * burst of thousands of changes costs one render; each changed row is placed, not re-sorted. */
export function useResourceTable(args: TableArgs): ResourceTableState {
  const [state, setState] = useState<ResourceTableState>(empty);
  const rows = useRef(new KeyOrderedRows());
  const key = JSON.stringify(args);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `args` by value.
  useEffect(() => {
    let meta: Omit<ResourceTableState, 'rows'> = { available: false, columns: [] };
    let frame: number | undefined;
    rows.current = new KeyOrderedRows();
    setState(empty);
    const render = () => {
      frame = undefined;
      setState({ ...meta, rows: rows.current.snapshot() });
    };
    const onUpdate = (update: TableUpdate) => {
      if (update.type === 'reset') {
        meta = { available: update.available, columns: update.columns };
        if (update.message) meta.message = update.message;
      }
      rows.current.apply(update);
      frame ??= requestAnimationFrame(render);
    };
    const unsubscribe = subscribeTopic('cluster.table', args, onUpdate);
    return () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      unsubscribe();
    };
  }, [key]);
  return state;
}
