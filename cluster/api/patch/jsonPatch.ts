// RFC 6902 JSON Patch (`application/json-patch+json`), as used by `kubectl rollout undo`.
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { PatchError } from './patchError';

/** Applies a JSON patch to a copy of `original`; throws PatchError for bad or failing operations. */
export function applyJsonPatch<T extends object>(original: T, patch: unknown): T {
  if (!Array.isArray(patch)) throw new PatchError('a JSON patch must be an array of operations');
  try {
    return fastJsonPatch.applyPatch(structuredClone(original), patch as Operation[], true, true, true)
      .newDocument;
  } catch (err) {
    const e = err as Error & { index?: number; operation?: { op?: string; path?: string } };
    const where =
      e.index === undefined ? '' : ` (operation ${e.index}: ${e.operation?.op} ${e.operation?.path})`;
    throw new PatchError(`the JSON patch could not be applied${where}: ${e.message.split('\n')[0]}`, {
      cause: err,
    });
  }
}
