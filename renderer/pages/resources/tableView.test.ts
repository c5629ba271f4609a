import { describe, expect, it } from 'vitest';
import type { TableColumn, TableRowView } from '../../../main/host/clusterView/clusterViewContract';
import { cellText, viewColumns, visibleRows } from './tableView';

const columns: TableColumn[] = [
  { name: 'Name', type: 'string', description: '', priority: 0 },
  { name: 'Restarts', type: 'string', description: '', priority: 0 },
  { name: 'Age', type: 'string', description: '', priority: 0 },
  { name: 'IP', type: 'string', description: '', priority: 1 },
];

const row = (ns: string, name: string, restarts: string, created: string): TableRowView => ({
  key: `${ns}/${name}`,
  namespace: ns,
  name,
  created,
  cells: [name, restarts, 'old', '10.0.0.1'],
  health: 'ok',
});

describe('table view', () => {
  const now = Date.parse('2026-01-01T01:00:00Z');
  const rows = [
    row('b', 'web', '3', '2026-01-01T00:59:00Z'),
    row('a', 'db', '0', '2026-01-01T00:00:00Z'),
    row('a', 'cache', '12', '2026-01-01T00:30:00Z'),
  ];

  it('adds NAMESPACE across namespaces and the wide columns only when asked', () => {
    expect(viewColumns(columns, { allNamespaces: true, wide: false }).map((c) => c.name)).toEqual([
      'Namespace',
      'Name',
      'Restarts',
      'Age',
    ]);
    expect(viewColumns(columns, { allNamespaces: false, wide: true }).map((c) => c.name)).toContain('IP');
  });

  it('recomputes AGE from the creation time', () => {
    const age = viewColumns(columns, { allNamespaces: false, wide: false })[2];
    expect(age && cellText(rows[0] as TableRowView, age, now)).toBe('60s');
  });

  it('filters by search and sorts by a column, newest first for AGE ascending', () => {
    const cols = viewColumns(columns, { allNamespaces: true, wide: false });
    const base = { allNamespaces: true, wide: false, now };
    expect(visibleRows(rows, cols, { ...base, search: 'ca' }).map((r) => r.name)).toEqual(['cache']);
    expect(
      visibleRows(rows, cols, { ...base, search: '', sort: { column: 'Age', descending: false } }).map(
        (r) => r.name,
      ),
    ).toEqual(['web', 'cache', 'db']);
    expect(
      visibleRows(rows, cols, { ...base, search: '', sort: { column: 'Restarts', descending: true } }).map(
        (r) => r.name,
      ),
    ).toEqual(['cache', 'web', 'db']);
  });

  it('keeps the key order without a sort, and sorts from the previous order with one', () => {
    const cols = viewColumns(columns, { allNamespaces: true, wide: false });
    const options = { allNamespaces: true, wide: false, now, search: '' };
    const inKeyOrder = [...rows].reverse();
    expect(visibleRows(inKeyOrder, cols, options)).toBe(inKeyOrder);
    const byRestarts = { ...options, sort: { column: 'Restarts', descending: false } };
    const first = visibleRows(inKeyOrder, cols, byRestarts);
    expect(first.map((r) => r.name)).toEqual(['db', 'web', 'cache']);
    // db restarts twice more and a new pod arrives: both land in place, the rest keep theirs.
    const changed = [
      row('a', 'db', '5', '2026-01-01T00:00:00Z'),
      row('c', 'new', '1', '2026-01-01T00:00:00Z'),
    ];
    const next = [inKeyOrder[0], changed[0], inKeyOrder[2], changed[1]] as TableRowView[];
    expect(visibleRows(next, cols, byRestarts, first).map((r) => `${r.name}:${r.cells[1]}`)).toEqual([
      'new:1',
      'web:3',
      'db:5',
      'cache:12',
    ]);
  });
});
