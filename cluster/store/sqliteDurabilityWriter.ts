// Child process for sqliteDurability.test.ts: writes to the SQLite store at argv[2] until killed,
// announcing each write before it starts ("I <intent>") and after it is acknowledged ("A <rev>").
// Lines go to fd 1 with writeSync, retried while the (non-blocking) socket the parent reads is
// full, so a line is in the kernel before the next write starts and never dies with the process:
// process.stdout would queue it in memory when the parent reads slowly.
import { writeSync } from 'node:fs';
import { createSqliteStore } from './sqliteStore';

export interface WriteIntent {
  op: 'create' | 'update' | 'delete';
  key: string;
  value?: string;
}

const path = process.argv[2];
if (!path) throw new Error('usage: sqliteDurabilityWriter.ts <store path>');
const store = createSqliteStore(path, { compactionWindow: 0 });
const live = new Map<string, number>();
const print = (line: string) => {
  const bytes = Buffer.from(`${line}\n`);
  for (let written = 0; written < bytes.length; ) {
    try {
      written += writeSync(1, bytes, written);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
};
const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)] as T;

print('R');
for (let seq = 0; ; seq++) {
  const roll = Math.random();
  const payload = 'kubedesk'.repeat(Math.floor(Math.random() * 1_000));
  let intent: WriteIntent;
  if (live.size < 5 || roll < 0.5) {
    const key = `/registry/pods/default/p${seq}`;
    intent = { op: 'create', key, value: JSON.stringify({ key, seq, payload }) };
  } else {
    const key = pick([...live.keys()]);
    intent =
      roll < 0.8
        ? { op: 'update', key, value: JSON.stringify({ key, seq, payload }) }
        : { op: 'delete', key };
  }
  print(`I ${JSON.stringify(intent)}`);
  const { key, value = '' } = intent;
  let revision: number;
  if (intent.op === 'create') revision = (await store.create(key, value)).modRevision;
  else if (intent.op === 'update') revision = (await store.update(key, value, live.get(key))).modRevision;
  else revision = (await store.delete(key, live.get(key))).revision;
  if (intent.op === 'delete') live.delete(key);
  else live.set(key, revision);
  print(`A ${revision}`);
}
