// What a controller is still waiting to see in its informer cache after its own writes, so a
// stale cache never makes it create, delete or count twice (controller.ControllerExpectations and
// the Job controller's finalizer expectations). Creation/deletion expectations expire after five
// minutes, so a lost watch event cannot wedge a Job.

const expiryMs = 5 * 60_000;

export class PodExpectations {
  private readonly pending = new Map<string, { adds: number; deletes: number; at: number }>();

  /** Replaces the key's expectations with `n` creations. */
  expectCreations(key: string, n: number): void {
    this.pending.set(key, { adds: n, deletes: 0, at: Date.now() });
  }

  /** Replaces the key's expectations with `n` deletions. */
  expectDeletions(key: string, n: number): void {
    this.pending.set(key, { adds: 0, deletes: n, at: Date.now() });
  }

  creationObserved(key: string): void {
    const e = this.pending.get(key);
    if (e) e.adds--;
  }

  deletionObserved(key: string): void {
    const e = this.pending.get(key);
    if (e) e.deletes--;
  }

  satisfied(key: string): boolean {
    const e = this.pending.get(key);
    if (!e) return true;
    return (e.adds <= 0 && e.deletes <= 0) || Date.now() - e.at > expiryMs;
  }

  delete(key: string): void {
    this.pending.delete(key);
  }
}

/** Pod UIDs whose tracking-finalizer removal the cache has not shown yet, per Job. */
export class FinalizerExpectations {
  private readonly pending = new Map<string, Set<string>>();

  expectRemovals(key: string, uids: readonly string[]): void {
    const set = this.pending.get(key) ?? new Set<string>();
    for (const uid of uids) set.add(uid);
    this.pending.set(key, set);
  }

  removalObserved(key: string, uid: string): void {
    const set = this.pending.get(key);
    set?.delete(uid);
    if (set?.size === 0) this.pending.delete(key);
  }

  /** A snapshot: later observations do not change it. */
  expected(key: string): ReadonlySet<string> {
    return new Set(this.pending.get(key));
  }

  delete(key: string): void {
    this.pending.delete(key);
  }
}
