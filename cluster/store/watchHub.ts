// In-process watch fan-out for backends that own their data (memory, SQLite): writes publish
// events right after they commit, each watcher gets them in revision order on a microtask, after
// the backlog it was created with. Since the backends compute the backlog and register the watcher
// in one synchronous step, no event can fall between catch-up and live delivery; an event the
// backlog already held (SQLite reads its own writes before they commit) is not delivered twice.
import type { Watch, WatchEvent } from './store';

interface Watcher {
  prefix: string;
  /** The newest revision delivered or queued. */
  revision: number;
  queue: WatchEvent[];
  scheduled: boolean;
  closed: boolean;
  onEvent: (event: WatchEvent) => void;
  onError: (err: Error) => void;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  /** Watches `prefix` from after revision `after`, starting with `backlog`. */
  add(
    prefix: string,
    after: number,
    backlog: WatchEvent[],
    onEvent: (event: WatchEvent) => void,
    onError: (err: Error) => void,
  ): Watch {
    const watcher: Watcher = {
      prefix,
      revision: after,
      queue: [],
      scheduled: false,
      closed: false,
      onEvent,
      onError,
    };
    this.watchers.add(watcher);
    for (const event of backlog) this.enqueue(watcher, event);
    return {
      close: () => {
        watcher.closed = true;
        this.watchers.delete(watcher);
      },
    };
  }

  publish(event: WatchEvent): void {
    for (const watcher of this.watchers) {
      if (event.kv.key.startsWith(watcher.prefix)) this.enqueue(watcher, event);
    }
  }

  /** Ends every watch with `err`, after the events already queued for it. */
  failAll(err: Error): void {
    for (const watcher of this.watchers) {
      this.watchers.delete(watcher);
      queueMicrotask(() => {
        if (watcher.closed) return;
        this.flush(watcher);
        watcher.closed = true;
        watcher.onError(err);
      });
    }
  }

  private enqueue(watcher: Watcher, event: WatchEvent): void {
    if (event.kv.modRevision <= watcher.revision) return;
    watcher.revision = event.kv.modRevision;
    watcher.queue.push(event);
    if (watcher.scheduled) return;
    watcher.scheduled = true;
    queueMicrotask(() => this.flush(watcher));
  }

  private flush(watcher: Watcher): void {
    watcher.scheduled = false;
    const events = watcher.queue;
    watcher.queue = [];
    for (const event of events) {
      if (watcher.closed) return;
      watcher.onEvent(event);
    }
  }
}

/** A watch that never delivers events and reports `err` asynchronously, as the Store contract says. */
export function failedWatch(onError: (err: Error) => void, err: Error): Watch {
  let closed = false;
  queueMicrotask(() => {
    if (!closed) onError(err);
  });
  return {
    close: () => {
      closed = true;
    },
  };
}
