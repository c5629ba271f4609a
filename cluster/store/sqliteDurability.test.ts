// Kills a writing process at random moments and checks that every write it was told had committed
// is in the reopened file, in order and intact, with at most the one in-flight write beyond them.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { WriteIntent } from './sqliteDurabilityWriter';
import { createSqliteStore } from './sqliteStore';
import type { KeyValue, WatchEvent } from './store';

const writer = join(import.meta.dirname, 'sqliteDurabilityWriter.ts');
const dir = mkdtempSync(join(tmpdir(), 'kubedesk-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Transcript {
  acknowledged: { intent: WriteIntent; revision: number }[];
  inFlight?: WriteIntent;
}

/** Runs the writer until a random moment after it opened the store, then SIGKILLs it. */
function runAndKill(path: string, maxDelayMs: number): Promise<Transcript> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, path], {
    cwd: join(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const transcript: Transcript = { acknowledged: [] };
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (buffered + chunk.toString()).split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'R') setTimeout(() => child.kill('SIGKILL'), Math.random() * maxDelayMs);
      else if (line.startsWith('I ')) transcript.inFlight = JSON.parse(line.slice(2)) as WriteIntent;
      else if (line.startsWith('A ') && transcript.inFlight) {
        transcript.acknowledged.push({ intent: transcript.inFlight, revision: Number(line.slice(2)) });
        transcript.inFlight = undefined;
      }
    }
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    // 'close', not 'exit': the kill can come before this side has read all the lines in the pipe.
    child.once('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(transcript);
      else reject(new Error(`writer exited with ${code ?? signal} before it was killed:\n${stderr}`));
    });
  });
}

function matches(event: WatchEvent | undefined, intent: WriteIntent): void {
  expect(event?.kv.key).toBe(intent.key);
  expect(event?.type).toBe(intent.op === 'delete' ? 'delete' : 'put');
  if (intent.value !== undefined) {
    expect(event?.kv.value).toBe(intent.value);
    expect(JSON.parse(event?.kv.value ?? '')).toMatchObject({ key: intent.key });
  }
}

async function verify(path: string, transcript: Transcript): Promise<void> {
  const db = new Database(path);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();

  const store = createSqliteStore(path, { compactionWindow: 0 });
  const events: WatchEvent[] = [];
  const errors: Error[] = [];
  const watch = store.watch(
    '/',
    { afterRevision: 0 },
    (e) => events.push(e),
    (err) => errors.push(err),
  );
  await new Promise((resolve) => setImmediate(resolve));
  watch.close();
  expect(errors).toEqual([]);

  const { acknowledged, inFlight } = transcript;
  acknowledged.forEach(({ intent, revision }, i) => {
    expect(events[i]?.kv.modRevision).toBe(revision);
    matches(events[i], intent);
  });
  // Only the write in flight at the kill may have committed without being acknowledged.
  expect(events.length - acknowledged.length).toBeLessThanOrEqual(inFlight ? 1 : 0);
  if (events.length > acknowledged.length && inFlight) matches(events.at(-1), inFlight);

  const expected = new Map<string, KeyValue>();
  for (const event of events) {
    if (event.type === 'put') expected.set(event.kv.key, event.kv);
    else expected.delete(event.kv.key);
  }
  expect((await store.list('/')).items).toEqual(
    [...expected.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
  );
  expect(await store.currentRevision()).toBe(events.at(-1)?.kv.modRevision ?? 0);
  await store.close();
}

describe('SQLite store durability', () => {
  it('keeps every acknowledged write, untorn, when the writing process is killed (50 trials)', async () => {
    let acknowledged = 0;
    for (let trial = 0; trial < 50; trial++) {
      const path = join(dir, `trial-${trial}.db`);
      const transcript = await runAndKill(path, 150);
      acknowledged += transcript.acknowledged.length;
      await verify(path, transcript);
    }
    // The kills must land while writes happen, or the trials prove nothing.
    expect(acknowledged).toBeGreaterThan(50);
  }, 120_000);
});
