import type { TableRowView, TableUpdate } from '../../main/host/clusterView/clusterViewContract';

// A live table's rows in key order (namespace, then name, digits as numbers), kept in order by
// placing each changed row with a binary search instead of sorting all rows on every batch:
// with thousands of rows and a handful of changes per frame that is the difference between
// microseconds and a dropped frame.

const collator = new Intl.Collator(undefined, { numeric: true });

/** A total order: numeric collation alone finds "web-01" and "web-1" equal. */
export const compareKeys = (a: string, b: string): number =>
  collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/** Above this share of changed rows one sort is cheaper than placing rows one by one. */
const resortShare = 0.25;

export class KeyOrderedRows {
  private readonly byKey = new Map<string, TableRowView>();
  private ordered: TableRowView[] = [];

  get size(): number {
    return this.ordered.length;
  }

  /** The rows in key order, as a new array (React state must not be mutated in place). */
  snapshot(): TableRowView[] {
    return this.ordered.slice();
  }

  apply(update: TableUpdate): void {
    if (update.type === 'reset') {
      this.byKey.clear();
      for (const row of update.rows) this.byKey.set(row.key, row);
      this.resort();
      return;
    }
    const changed = update.upserts.length + update.removes.length;
    if (changed > Math.max(16, this.ordered.length * resortShare)) {
      for (const row of update.upserts) this.byKey.set(row.key, row);
      for (const key of update.removes) this.byKey.delete(key);
      this.resort();
      return;
    }
    for (const row of update.upserts) this.upsert(row);
    for (const key of update.removes) this.remove(key);
  }

  private resort(): void {
    this.ordered = [...this.byKey.values()].sort((a, b) => compareKeys(a.key, b.key));
  }

  /** Where `key` is, or where it would go. */
  private indexOf(key: string): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareKeys((this.ordered[mid] as TableRowView).key, key) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private upsert(row: TableRowView): void {
    const at = this.indexOf(row.key);
    if (this.byKey.has(row.key)) this.ordered[at] = row;
    else this.ordered.splice(at, 0, row);
    this.byKey.set(row.key, row);
  }

  private remove(key: string): void {
    if (!this.byKey.delete(key)) return;
    this.ordered.splice(this.indexOf(key), 1);
  }
}
