import { humanDuration } from '../../../cluster/registry/tables/humanDuration';
import type { TableColumn, TableRowView } from '../../../main/host/clusterView/clusterViewContract';

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

export function visibleRows(
  rows: TableRowView[],
  columns: ViewColumn[],
  options: TableViewOptions,
): TableRowView[] {
  const needle = options.search.trim().toLowerCase();
  const matching = needle
    ? rows.filter(
        (row) =>
          row.key.toLowerCase().includes(needle) ||
          columns.some((c) => cellText(row, c, options.now).toLowerCase().includes(needle)),
      )
    : [...rows];
  const sortColumn = options.sort && columns.find((c) => c.name === options.sort?.column);
  const direction = options.sort?.descending ? -1 : 1;
  matching.sort((a, b) => {
    if (sortColumn) {
      const x = sortValue(a, sortColumn);
      const y = sortValue(b, sortColumn);
      // Numeric collation orders "3 (5m ago)" before "12" and "2/3" before "10/10", as people read them.
      const order =
        typeof x === 'number' && typeof y === 'number'
          ? x - y
          : String(x).localeCompare(String(y), undefined, { numeric: true });
      if (order !== 0) return order * direction;
    }
    return a.key.localeCompare(b.key);
  });
  return matching;
}
