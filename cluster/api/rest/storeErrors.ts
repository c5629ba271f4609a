// Store failures as Kubernetes Status errors, chosen by error class (never by message text).

import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  InvalidContinueError,
  KeyExistsError,
  KeyNotFoundError,
} from '../../store/errors';
import type { ApiError } from '../status';
import {
  alreadyExists,
  badRequest,
  conflict,
  expired,
  type GroupResource,
  internalError,
  isApiError,
  notFound,
  tooLargeResourceVersion,
} from '../status';

export function toApiError(err: unknown, gr: GroupResource, name: string): ApiError {
  if (isApiError(err)) return err;
  if (err instanceof KeyExistsError) return alreadyExists(gr, name);
  if (err instanceof KeyNotFoundError) return notFound(gr, name);
  if (err instanceof ConflictError) return conflict(gr, name);
  if (err instanceof CompactedError) {
    return expired(`too old resource version: ${err.requested} (${err.compacted + 1})`);
  }
  if (err instanceof InvalidContinueError) {
    return badRequest(`continue key is not valid: ${err.message}`);
  }
  if (err instanceof FutureRevisionError) {
    return tooLargeResourceVersion(err.requested, err.current);
  }
  return internalError(err);
}
