import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TableRowView } from '../../../main/host/clusterView/clusterViewContract';
import type { ResourceTableState } from '../../data/useResourceTable';
import { cellText, type ViewColumn, viewColumns, visibleRows } from './tableView';

const rowHeight = 30;

/** Ticks once a second so AGE cells stay current. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

interface TableRowProps {
  row: TableRowView;
  columns: ViewColumn[];
  now: number;
  selected: boolean;
  onSelect(row: TableRowView): void;
}

/** One row; re-rendered only when its row object, the columns, the clock or selection change. */
const TableRow = memo(function TableRow({ row, columns, now, selected, onSelect }: TableRowProps) {
  return (
    <tr
      data-key={row.key}
      data-health={row.health}
      aria-selected={selected}
      className={`health-${row.health}`}
      onClick={() => onSelect(row)}
    >
      {columns.map((c, i) => (
        <td key={c.name}>
          {i === 0 ? (
            // Clicks bubble to the row; the button makes rows reachable from the keyboard.
            <button type="button" className="row-open">
              {c.name === 'Name' || c.cell < 0 ? (
                <span className={`health-dot health-${row.health}`} />
              ) : null}
              {cellText(row, c, now)}
            </button>
          ) : (
            cellText(row, c, now)
          )}
        </td>
      ))}
    </tr>
  );
});

export interface ResourceTableProps {
  table: ResourceTableState;
  allNamespaces: boolean;
  wide: boolean;
  search: string;
  selected?: string;
  onSelect(row: TableRowView): void;
  label: string;
}

/** A sortable table that renders only the rows in view, so thousands of rows stay smooth. */
export function ResourceTable({
  table,
  allNamespaces,
  wide,
  search,
  selected,
  onSelect,
  label,
}: ResourceTableProps) {
  const now = useNow();
  const [sort, setSort] = useState<{ column: string; descending: boolean }>();
  const columns = useMemo(
    () => viewColumns(table.columns, { allNamespaces, wide }),
    [table.columns, allNamespaces, wide],
  );
  // The last result, so a batch of changes re-sorts a nearly sorted list.
  const previous = useRef<{ sort: typeof sort; rows: TableRowView[] }>(undefined);
  // AGE text changes every second but the order by age does not: sort without `now`.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `now` is left out on purpose.
  const rows = useMemo(() => {
    const last = previous.current?.sort === sort ? previous.current?.rows : undefined;
    const next = visibleRows(
      table.rows,
      columns,
      { allNamespaces, wide, search, now, ...(sort ? { sort } : {}) },
      last,
    );
    previous.current = { sort, rows: next };
    return next;
  }, [table.rows, columns, search, sort, allNamespaces, wide]);
  // A stable handler keeps memoised rows from re-rendering when the page re-renders.
  const selectHandler = useRef(onSelect);
  selectHandler.current = onSelect;
  const select = useCallback((row: TableRowView) => selectHandler.current(row), []);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  const sortBy = (column: string) =>
    setSort((current) =>
      current?.column === column
        ? { column, descending: !current.descending }
        : { column, descending: false },
    );

  return (
    <div className="resource-table resource-scroll" ref={scroller}>
      <table aria-label={label} aria-rowcount={rows.length}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.name}
                className={c.name === 'Name' ? 'name-column' : undefined}
                aria-sort={sort?.column === c.name ? (sort.descending ? 'descending' : 'ascending') : 'none'}
              >
                <button type="button" onClick={() => sortBy(c.name)}>
                  {c.name.toUpperCase()}
                  {sort?.column === c.name ? (sort.descending ? ' ▾' : ' ▴') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {top > 0 && <tr style={{ height: top }} />}
          {items.map((item) => {
            const row = rows[item.index] as TableRowView;
            return (
              <TableRow
                key={row.key}
                row={row}
                columns={columns}
                now={now}
                selected={selected === row.key}
                onSelect={select}
              />
            );
          })}
          {bottom > 0 && <tr style={{ height: bottom }} />}
        </tbody>
      </table>
      {rows.length === 0 && (
        <p className="muted resource-empty">{search ? 'Nothing matches the search.' : 'No objects.'}</p>
      )}
    </div>
  );
}
