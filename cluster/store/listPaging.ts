// Continue tokens and read-revision checks for paged lists. A token carries the revision of the
// first page and the last key returned, so every page reads the same snapshot (as etcd and the
// Kubernetes API server do); it is opaque to callers.
import { CompactedError, FutureRevisionError, InvalidContinueError } from './errors';

export interface ListPosition {
  revision: number;
  /** Return only keys strictly greater than this. */
  startAfter?: string;
}

export function encodeContinue(revision: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ rv: revision, start: lastKey })).toString('base64url');
}

/** Decodes a token from a list of the same `prefix`; throws InvalidContinueError otherwise. */
export function decodeContinue(token: string, prefix: string): Required<ListPosition> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (err) {
    throw new InvalidContinueError(token, { cause: err });
  }
  const { rv, start } = (parsed ?? {}) as { rv?: unknown; start?: unknown };
  if (
    !Number.isSafeInteger(rv) ||
    (rv as number) <= 0 ||
    typeof start !== 'string' ||
    !start.startsWith(prefix)
  ) {
    throw new InvalidContinueError(token);
  }
  return { revision: rv as number, startAfter: start };
}

/** Where a list starts: the token's position, or the requested (default: current) revision. Checks
 * the revision against what the store retains. */
export function resolveListPosition(
  prefix: string,
  options: { continue?: string; revision?: number },
  current: number,
  compacted: number,
): ListPosition {
  const position = options.continue
    ? decodeContinue(options.continue, prefix)
    : { revision: options.revision || current };
  if (position.revision < compacted) throw new CompactedError(position.revision, compacted);
  if (position.revision > current) throw new FutureRevisionError(position.revision, current);
  return position;
}
