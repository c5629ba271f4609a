// The SQLite layout, after kine (https://github.com/k3s-io/kine): one append-only log whose
// auto-increment id is the revision, plus a `current` table pointing at each live key's newest row
// so GET, LIST and COUNT never scan history.
import type Database from 'better-sqlite3';

const schemaVersion = 1;

export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > schemaVersion) {
    throw new Error(
      `store ${db.name} has schema version ${version}; this Kubedesk understands up to ${schemaVersion}`,
    );
  }
  if (version === schemaVersion) return;
  db.exec(`
    CREATE TABLE log (
      revision INTEGER PRIMARY KEY AUTOINCREMENT,
      key TEXT NOT NULL,
      value TEXT,                         -- NULL on delete rows
      create_revision INTEGER NOT NULL,
      prev_revision INTEGER NOT NULL,     -- the row this one replaces; 0 for a create
      deleted INTEGER NOT NULL
    );
    CREATE INDEX log_key_revision ON log (key, revision);
    CREATE TABLE current (key TEXT PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO meta (name, value) VALUES ('compacted', 0);
    PRAGMA user_version = ${schemaVersion};
  `);
}

/** Every statement the store runs, prepared once. Rows come back shaped as KeyValue where possible. */
export function prepareStatements(db: Database.Database) {
  const kvColumns = 'l.key, l.value, l.create_revision AS createRevision, l.revision AS modRevision';
  return {
    revision: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'log'").pluck(),
    compacted: db.prepare("SELECT value FROM meta WHERE name = 'compacted'").pluck(),
    setCompacted: db.prepare("UPDATE meta SET value = ? WHERE name = 'compacted'"),
    get: db.prepare(
      `SELECT ${kvColumns} FROM current c JOIN log l ON l.revision = c.revision WHERE c.key = ?`,
    ),
    /** Whether a key is live, without reading its value. */
    exists: db.prepare('SELECT 1 FROM current WHERE key = ?').pluck(),
    insert: db.prepare(
      `INSERT INTO log (revision, key, value, create_revision, prev_revision, deleted)
       VALUES (@revision, @key, @value, @createRevision, @prevRevision, @deleted)`,
    ),
    setCurrent: db.prepare(
      'INSERT INTO current (key, revision) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET revision = excluded.revision',
    ),
    deleteCurrent: db.prepare('DELETE FROM current WHERE key = ?'),
    count: db.prepare('SELECT COUNT(*) FROM current WHERE key >= ? AND key < ?').pluck(),
    /** Live keys in [from, end). One lower bound only: with two, SQLite seeks by one and filters by
     * the other, so every page of a paged list would scan from the prefix's first key again. */
    listCurrent: db.prepare(
      `SELECT ${kvColumns} FROM current c JOIN log l ON l.revision = c.revision
       WHERE c.key >= @from AND c.key < @end ORDER BY c.key LIMIT @limit`,
    ),
    /** Keys as of @revision: each key's newest row at or below it, unless that row is a delete. Walks
     * the (key, revision) index in key order, so no sort of whole rows is needed. */
    listAt: db.prepare(
      `SELECT ${kvColumns} FROM log l
       WHERE l.key >= @from AND l.key < @end AND l.revision <= @revision AND l.deleted = 0
         AND NOT EXISTS (SELECT 1 FROM log n WHERE n.key = l.key AND n.revision > l.revision AND n.revision <= @revision)
       ORDER BY l.key LIMIT @limit`,
    ),
    /** Writes after @after under the prefix, each with the row it replaced (for `prev`). */
    eventsAfter: db.prepare(
      `SELECT l.revision, l.key, l.value, l.create_revision AS createRevision, l.deleted,
              p.value AS prevValue, p.create_revision AS prevCreateRevision, p.revision AS prevRevision
       FROM log l LEFT JOIN log p ON p.revision = l.prev_revision
       WHERE l.revision > @after AND l.key >= @start AND l.key < @end ORDER BY l.revision`,
    ),
    /** Compaction of (from, to]: rows replaced within it, then its delete rows. What stays is each key's
     * newest row at or below `to` when that row is not a delete, so reads at `to` and the `prev` of
     * every later event survive. */
    compactReplaced: db.prepare(
      `DELETE FROM log WHERE revision IN (
         SELECT prev_revision FROM log WHERE revision > @from AND revision <= @to AND prev_revision > 0)`,
    ),
    compactDeletes: db.prepare('DELETE FROM log WHERE revision > @from AND revision <= @to AND deleted = 1'),
  };
}

export interface EventRow {
  revision: number;
  key: string;
  value: string | null;
  createRevision: number;
  deleted: number;
  prevValue: string | null;
  prevCreateRevision: number | null;
  prevRevision: number | null;
}
