import { humanDuration } from '../../../cluster/registry/tables/humanDuration';
import type { TableColumn, TableRowView } from '../../../main/host/clusterView/clusterViewContract';
import { compareKeys } from '../../data/keyOrderedRows';

// What the resource table shows: the columns kubectl prints (NAMESPACE first across namespaces,
// wide columns on request), rows filtered by a search and sorted by a column.

export interface ViewColumn {
  name: string;
  /** Index into a row's cells; -1 for the namespace column. */
  cell: number;
  numeric: boolean;
  isAge: boolean;
}

export interface TableViewOptions {
  allNamespaces: boolean;
  wide: boolean;
  search: string;
  sort?: { column: string; descending: boolean };
  now: number;
}

export function viewColumns(
  columns: TableColumn[],
  options: Pick<TableViewOptions, 'allNamespaces' | 'wide'>,
) {
  const out: ViewColumn[] = [];
  if (options.allNamespaces) out.push({ name: 'Namespace', cell: -1, numeric: false, isAge: false });
  columns.forEach((c, cell) => {
    if (c.priority > 0 && !options.wide) return;
    out.push({
      name: c.name,
      cell,
      numeric: c.type === 'integer' || c.type === 'number',
      isAge: c.name === 'Age' || c.name === 'Last Seen',
    });
  });
  return out;
}

export function cellText(row: TableRowView, column: ViewColumn, now: number): string {
  if (column.cell < 0) return row.namespace ?? '';
  if (column.isAge && column.name === 'Age' && row.created) {
    return humanDuration(now - Date.parse(row.created));
  }
  const value = row.cells[column.cell];
  return value === null || value === undefined ? '' : String(value);
}

function sortValue(row: TableRowView, column: ViewColumn): string | number {
  if (column.cell < 0) return row.namespace ?? '';
  if (column.isAge && column.name === 'Age' && row.created) return -Date.parse(row.created);
  const value = row.cells[column.cell];
  if (typeof value === 'number') return value;
  if (column.numeric) return Number(value ?? 0);
  return String(value ?? '');
}

const collator = new Intl.Collator(undefined, { numeric: true });

function compareValues(x: string | number, y: string | number): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  // Numeric collation orders "3 (5m ago)" before "12" and "2/3" before "10/10", as people read them.
  return collator.compare(String(x), String(y));
}

/** Rows in `previous`'s order where they were there, new ones after: a nearly sorted start. */
function inPreviousOrder(rows: TableRowView[], previous: TableRowView[]): TableRowView[] {
  const at = new Map<string, number>();
  previous.forEach((row, i) => {
    at.set(row.key, i);
  });
  const placed: (TableRowView | undefined)[] = new Array(previous.length);
  const fresh: TableRowView[] = [];
  for (const row of rows) {
    const i = at.get(row.key);
    if (i === undefined) fresh.push(row);
    else placed[i] = row;
  }
  const out: TableRowView[] = [];
  for (const row of placed) if (row) out.push(row);
  return out.concat(fresh);
}

/** The rows a table shows. `rows` come in key order, which is also the order without a sort.
 * `previous` is the last result under the same sort: starting from it, the merge sort behind
 * Array.prototype.sort only has to place the rows that changed. */
export function visibleRows(
  rows: TableRowView[],
  columns: ViewColumn[],
  options: TableViewOptions,
  previous?: TableRowView[],
): TableRowView[] {
  const needle = options.search.trim().toLowerCase();
  const matching = needle
    ? rows.filter(
        (row) =>
          row.key.toLowerCase().includes(needle) ||
          columns.some((c) => cellText(row, c, options.now).toLowerCase().includes(needle)),
      )
    : rows;
  const sortColumn = options.sort && columns.find((c) => c.name === options.sort?.column);
  if (!sortColumn) return matching;
  const direction = options.sort?.descending ? -1 : 1;
  const start = previous ? inPreviousOrder(matching, previous) : matching;
  const keyed = start.map((row) => ({ row, value: sortValue(row, sortColumn) }));
  keyed.sort((a, b) => compareValues(a.value, b.value) * direction || compareKeys(a.row.key, b.row.key));
  return keyed.map((entry) => entry.row);
}
