import { describe, expect, it } from 'vitest';
import type { TableRowView } from '../../main/host/clusterView/clusterViewContract';
import { compareKeys, KeyOrderedRows } from './keyOrderedRows';

const row = (key: string, status = 'Running'): TableRowView => ({
  key,
  name: key.split('/').at(-1) ?? key,
  cells: [key, status],
  health: 'ok',
});

const keys = (rows: KeyOrderedRows) => rows.snapshot().map((r) => r.key);

describe('key-ordered rows', () => {
  it('orders by key with digits read as numbers, and tells apart keys numeric collation equates', () => {
    expect(['ns/web-10', 'ns/web-9', 'ns/web-1', 'ns/web-01'].sort(compareKeys)).toEqual([
      'ns/web-01',
      'ns/web-1',
      'ns/web-9',
      'ns/web-10',
    ]);
  });

  it('places upserts and removes in order without re-sorting, and replaces changed rows in place', () => {
    const rows = new KeyOrderedRows();
    rows.apply({ type: 'reset', available: true, columns: [], rows: [row('b/x'), row('a/y'), row('c/z')] });
    expect(keys(rows)).toEqual(['a/y', 'b/x', 'c/z']);
    const before = rows.snapshot();
    rows.apply({ type: 'changes', upserts: [row('b/x', 'Pending'), row('b/a')], removes: ['c/z', 'gone'] });
    expect(keys(rows)).toEqual(['a/y', 'b/a', 'b/x']);
    expect(rows.snapshot()[2]?.cells[1]).toBe('Pending');
    expect(before.map((r) => r.key)).toEqual(['a/y', 'b/x', 'c/z']);
  });

  it('gives the same order when a large batch is sorted at once', () => {
    const rows = new KeyOrderedRows();
    rows.apply({ type: 'reset', available: true, columns: [], rows: [row('m/1')] });
    const many = Array.from({ length: 40 }, (_, i) => row(`n/pod-${39 - i}`));
    rows.apply({ type: 'changes', upserts: many, removes: ['m/1'] });
    expect(keys(rows)).toEqual(Array.from({ length: 40 }, (_, i) => `n/pod-${i}`));
    expect(rows.size).toBe(40);
  });
});
