// Store errors are classes so the API server maps them to Kubernetes Status by type, never by text.

export class KeyExistsError extends Error {
  override name = 'KeyExistsError';
  constructor(readonly key: string) {
    super(`key ${key} already exists`);
  }
}

export class KeyNotFoundError extends Error {
  override name = 'KeyNotFoundError';
  constructor(readonly key: string) {
    super(`key ${key} not found`);
  }
}

export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(
    readonly key: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`key ${key} is at revision ${actual}, not ${expected}`);
  }
}

/** The requested revision is older than the compaction point (Kubernetes: 410 Expired).
 * `compacted` is the oldest revision still readable (see Store.compactedRevision). */
export class CompactedError extends Error {
  override name = 'CompactedError';
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`revision ${requested} has been compacted (oldest available: ${compacted})`);
  }
}

export class InvalidContinueError extends Error {
  override name = 'InvalidContinueError';
  constructor(
    readonly token: string,
    options?: ErrorOptions,
  ) {
    super('continue token is not valid', options);
  }
}

/** A list asked for a revision newer than the store's current one (Kubernetes: "Too large resource version"). */
export class FutureRevisionError extends Error {
  override name = 'FutureRevisionError';
  constructor(
    readonly requested: number,
    readonly current: number,
  ) {
    super(`revision ${requested} is newer than the current revision ${current}`);
  }
}

/** The store was closed: calls fail with this and open watches end with it through `onError`. */
export class StoreClosedError extends Error {
  override name = 'StoreClosedError';
  constructor() {
    super('store is closed');
  }
}
