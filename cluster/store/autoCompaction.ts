// Periodic compaction keeping the last `compactionWindow` revisions, like the Kubernetes API server's
// compactor (which compacts etcd every 5 minutes) and kine's (which keeps the last 1000 revisions).
import type { Store } from './store';

export interface CompactionOptions {
  /** Revisions of history to keep; older ones are compacted. Default 10,000; 0 disables auto compaction. */
  compactionWindow?: number;
  /** How often to compact. Default 60 s. */
  compactionIntervalMs?: number;
  /** Receives failed compactions (the next tick retries); the store itself never logs. */
  onCompactionError?: (err: Error) => void;
}

type Compactable = Pick<Store, 'currentRevision' | 'compactedRevision' | 'compact'>;

/** Starts the compaction timer (unref'd, so it never keeps the process alive); returns its stop. */
export function startAutoCompaction(store: Compactable, options: CompactionOptions): () => void {
  const window = options.compactionWindow ?? 10_000;
  if (window <= 0) return () => {};
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const target = (await store.currentRevision()) - window;
      if (target > (await store.compactedRevision())) await store.compact(target);
    } catch (err) {
      options.onCompactionError?.(err as Error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, options.compactionIntervalMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
