// RFC 7386 JSON Merge Patch (`application/merge-patch+json`): `kubectl scale`, and apply for CRDs.
import jsonMergePatch from 'json-merge-patch';
import { isJsonMap } from './jsonMap';
import { PatchError } from './patchError';

/** Applies a merge patch to a copy of `original`; the patch must be a JSON object. */
export function applyMergePatch<T extends object>(original: T, patch: unknown): T {
  if (!isJsonMap(patch)) throw new PatchError('a merge patch must be a JSON object');
  return jsonMergePatch.apply(structuredClone(original), patch) as T;
}
