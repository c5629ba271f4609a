// The one entry the host uses to get a Store: SQLite in the app's data folder by default, an
// external etcd when the user asks for it, memory for unit tests.
import type { CompactionOptions } from './autoCompaction';
import { createMemoryStore } from './memoryStore';
import { createSqliteStore } from './sqliteStore';
import type { Store } from './store';

export type StoreLocation =
  | { kind: 'sqlite'; path: string }
  | { kind: 'etcd'; endpoints: string[]; prefix?: string }
  | { kind: 'memory' };

export type OpenStoreOptions = CompactionOptions;

export async function openStore(location: StoreLocation, opts: OpenStoreOptions = {}): Promise<Store> {
  switch (location.kind) {
    case 'sqlite':
      return createSqliteStore(location.path, opts);
    case 'etcd': {
      // Loaded only when chosen: the etcd client (gRPC) costs the SQLite default ~25 MB of memory.
      const { createEtcdStore } = await import('./etcdStore');
      return createEtcdStore({ endpoints: location.endpoints, prefix: location.prefix, ...opts });
    }
    case 'memory':
      return createMemoryStore(opts);
  }
}
