// The embedded Store: one SQLite file (better-sqlite3, WAL) owned by this process. Writes run
// synchronously, so JS's single thread serialises them and the in-memory revision counter stays
// exact. The writes of one turn of the event loop share a transaction (group commit): it commits
// in that turn's check phase, and only then are the writes acknowledged and their events published.
// Reads on this connection see a turn's writes before they commit, so a list and a watch started
// from its revision agree. Watchers catch up from the log when they start at an older revision.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { type CompactionOptions, startAutoCompaction } from './autoCompaction';
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  StoreClosedError,
} from './errors';
import { checkKeyPath, keyAfter, prefixEnd } from './keyRange';
import { encodeContinue, resolveListPosition } from './listPaging';
import { type EventRow, migrate, prepareStatements } from './sqliteSchema';
import type { KeyValue, ListOptions, ListResult, Store, Watch, WatchEvent, WatchOptions } from './store';
import { failedWatch, WatchHub } from './watchHub';

/** Revisions compacted per transaction, so a large compaction never stalls requests for long:
 * 1,000 revisions of pod-sized values take about 6 ms, 10,000 took 57. */
const compactionBatch = 1_000;

/** Opens (creating if needed, with its folder) the store file at `path`. One process, and one
 * store object, must own the file: watchers only see writes made through this object. */
export function createSqliteStore(path: string, options: CompactionOptions = {}): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL, not FULL. In WAL mode a commit is in the OS's page cache when it returns, so every
    // acknowledged write survives a crash or SIGKILL of this process (sqliteDurability.test.ts);
    // only a power loss or OS crash can drop the last commits, and the file stays consistent.
    // FULL would fsync the WAL on every commit, blocking the event loop for the disk's flush time
    // (0.2 ms on a cached virtual disk, milliseconds on many SSDs) on each of the several writes a
    // pod create causes. A local development cluster takes that trade.
    // https://www.sqlite.org/pragma.html#pragma_synchronous
    db.pragma('synchronous = NORMAL');
    // Checkpoints run inside the write that crosses the threshold. At SQLite's default of 1,000 pages
    // every 140th pod-sized write stalled the host 4-6 ms; at 200 pages the longest stall was 3.4 ms,
    // rarely, for 9 µs more per write on average.
    db.pragma('wal_autocheckpoint = 200');
    migrate(db);
    return new SqliteStore(db, options);
  } catch (err) {
    db.close();
    throw err;
  }
}

type Statements = ReturnType<typeof prepareStatements>;

class SqliteStore implements Store {
  private readonly sql: Statements;
  private revision: number;
  private compacted: number;
  private closed = false;
  private readonly hub = new WatchHub();
  private readonly stopCompaction: () => void;
  private readonly writeCreate: (key: string, value: string) => KeyValue;
  private readonly writeUpdate: (
    key: string,
    value: string,
    expected?: number,
  ) => { kv: KeyValue; prev: KeyValue };
  private readonly writeDelete: (key: string, expected?: number) => { deleted: KeyValue; revision: number };
  private readonly compactRange: (from: number, to: number) => void;
  /** The open transaction of this turn's writes. */
  private batch: Batch | undefined;

  constructor(
    private readonly db: Database.Database,
    options: CompactionOptions,
  ) {
    this.sql = prepareStatements(db);
    this.revision = (this.sql.revision.get() as number | undefined) ?? 0;
    this.compacted = this.sql.compacted.get() as number;
    this.writeCreate = db.transaction((key: string, value: string) => {
      if (this.sql.exists.get(key)) throw new KeyExistsError(key);
      const revision = this.revision + 1;
      this.sql.insert.run({ revision, key, value, createRevision: revision, prevRevision: 0, deleted: 0 });
      this.sql.setCurrent.run(key, revision);
      return { key, value, createRevision: revision, modRevision: revision };
    });
    this.writeUpdate = db.transaction((key: string, value: string, expected?: number) => {
      const prev = this.precondition(key, expected);
      const revision = this.revision + 1;
      const { createRevision } = prev;
      this.sql.insert.run({
        revision,
        key,
        value,
        createRevision,
        prevRevision: prev.modRevision,
        deleted: 0,
      });
      this.sql.setCurrent.run(key, revision);
      return { kv: { key, value, createRevision, modRevision: revision }, prev };
    });
    this.writeDelete = db.transaction((key: string, expected?: number) => {
      const deleted = this.precondition(key, expected);
      const revision = this.revision + 1;
      const { createRevision } = deleted;
      this.sql.insert.run({
        revision,
        key,
        value: null,
        createRevision,
        prevRevision: deleted.modRevision,
        deleted: 1,
      });
      this.sql.deleteCurrent.run(key);
      return { deleted, revision };
    });
    this.compactRange = db.transaction((from: number, to: number) => {
      this.sql.compactReplaced.run({ from, to });
      this.sql.compactDeletes.run({ from, to });
      this.sql.setCompacted.run(to);
    });
    this.stopCompaction = startAutoCompaction(this, options);
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.revision;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    return this.sql.get.get(key) as KeyValue | undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    checkKeyPath(prefix);
    const { revision, startAfter } = resolveListPosition(prefix, options, this.revision, this.compacted);
    const limit = options.limit && options.limit > 0 ? options.limit : -1;
    const params = {
      from: startAfter === undefined ? prefix : keyAfter(startAfter),
      end: prefixEnd(prefix),
      limit: limit < 0 ? -1 : limit + 1,
    };
    // Pages of a list at the current revision (the common case) read the current table, not history.
    const rows = (
      revision === this.revision
        ? this.sql.listCurrent.all(params)
        : this.sql.listAt.all({ ...params, revision })
    ) as KeyValue[];
    if (limit < 0 || rows.length <= limit) return { items: rows, revision };
    const items = rows.slice(0, limit);
    return { items, revision, continue: encodeContinue(revision, (items.at(-1) as KeyValue).key) };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    checkKeyPath(prefix);
    return this.sql.count.get(prefix, prefixEnd(prefix)) as number;
  }

  async create(key: string, value: string): Promise<KeyValue> {
    checkKeyPath(key);
    return this.write(
      () => this.writeCreate(key, value),
      (kv) => ({ type: 'put', kv }),
    );
  }

  async update(key: string, value: string, expectedModRevision?: number): Promise<KeyValue> {
    const { kv } = await this.write(
      () => this.writeUpdate(key, value, expectedModRevision),
      ({ kv, prev }) => ({ type: 'put', kv, prev }),
    );
    return kv;
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ deleted: KeyValue; revision: number }> {
    return this.write(
      () => this.writeDelete(key, expectedModRevision),
      ({ deleted, revision }) => ({
        type: 'delete',
        kv: { ...deleted, modRevision: revision },
        prev: deleted,
      }),
    );
  }

  watch(
    prefix: string,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
    onError: (err: Error) => void,
  ): Watch {
    checkKeyPath(prefix);
    if (this.closed) return failedWatch(onError, new StoreClosedError());
    const after = options.afterRevision ?? this.revision;
    if (after < this.compacted) return failedWatch(onError, new CompactedError(after, this.compacted));
    const backlog =
      after < this.revision
        ? (this.sql.eventsAfter.all({ after, start: prefix, end: prefixEnd(prefix) }) as EventRow[]).map(
            toEvent,
          )
        : [];
    return this.hub.add(prefix, after, backlog, onEvent, onError);
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    while (this.compacted < revision && !this.closed) {
      // Compaction commits on its own: never inside a turn's writes, which could still roll back.
      this.commit();
      const to = Math.min(revision, this.compacted + compactionBatch);
      this.compactRange(this.compacted, to);
      this.compacted = to;
      if (to < revision) await yieldToEventLoop();
    }
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.compacted;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.commit();
    this.closed = true;
    this.stopCompaction();
    this.hub.failAll(new StoreClosedError());
    this.db.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  /** Runs inside a write transaction. */
  private precondition(key: string, expected: number | undefined): KeyValue {
    const prev = this.sql.get.get(key) as KeyValue | undefined;
    if (!prev) throw new KeyNotFoundError(key);
    if (expected !== undefined && prev.modRevision !== expected) {
      throw new ConflictError(key, expected, prev.modRevision);
    }
    return prev;
  }

  /** Runs `apply` (a db.transaction function: inside the turn's transaction it runs as a savepoint,
   * so a write that throws leaves the others alone) and resolves once the turn's writes commit. */
  private write<T>(apply: () => T, eventOf: (result: T) => WatchEvent): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    if (!this.batch) {
      this.db.exec('BEGIN IMMEDIATE');
      this.batch = new Batch(this.revision);
      setImmediate(() => this.commit());
    }
    const batch = this.batch;
    try {
      const result = apply();
      const event = eventOf(result);
      batch.events.push(event);
      this.revision = event.kv.modRevision;
      return batch.committed.then(() => result);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private commit(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    try {
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.revision = batch.startRevision;
      batch.fail(err as Error);
      return;
    }
    for (const event of batch.events) this.hub.publish(event);
    batch.succeed();
  }
}

/** One turn's writes: acknowledged together when their transaction commits. */
class Batch {
  readonly events: WatchEvent[] = [];
  readonly committed: Promise<void>;
  succeed!: () => void;
  fail!: (err: Error) => void;

  constructor(readonly startRevision: number) {
    this.committed = new Promise((resolve, reject) => {
      this.succeed = resolve;
      this.fail = reject;
    });
    // A turn whose only write threw has nobody waiting on the outcome.
    this.committed.catch(() => {});
  }
}

function toEvent(row: EventRow): WatchEvent {
  const prev: KeyValue | undefined =
    row.prevRevision === null
      ? undefined
      : {
          key: row.key,
          value: row.prevValue as string,
          createRevision: row.prevCreateRevision as number,
          modRevision: row.prevRevision,
        };
  if (!row.deleted) {
    const kv = {
      key: row.key,
      value: row.value as string,
      createRevision: row.createRevision,
      modRevision: row.revision,
    };
    return prev ? { type: 'put', kv, prev } : { type: 'put', kv };
  }
  // Compaction keeps the row a delete replaced (see sqliteSchema), so a delete always has its prev.
  const deleted = prev as KeyValue;
  return { type: 'delete', kv: { ...deleted, modRevision: row.revision }, prev: deleted };
}
