// Strategic merge patch (`application/strategic-merge-patch+json`), what kubectl apply, edit,
// set image and rollout restart send. Lists merge by the schema's `x-kubernetes-patch-merge-key`
// when `x-kubernetes-patch-strategy` says merge; the patch directives are those of
// https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
import { isDeepStrictEqual as deepEqual } from 'node:util';
import { type GroupVersionKind, type SchemaNode, schemaForKind } from '../openapi/schemas';
import { isJsonMap, type JsonMap } from './jsonMap';
import { applyMergePatch } from './mergePatch';
import { PatchError } from './patchError';

const patchDirective = '$patch';
const retainKeysDirective = '$retainKeys';
const setElementOrderPrefix = '$setElementOrder/';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList/';

/** Applies `patch` to a copy of `original`. Kinds without a schema get a JSON merge patch. */
export function applyStrategicMergePatch<T extends object>(
  original: T,
  patch: unknown,
  gvk: GroupVersionKind,
): T {
  if (!isJsonMap(patch)) throw new PatchError('a strategic merge patch must be a JSON object');
  const schema = schemaForKind(gvk);
  if (!schema) return applyMergePatch(original, patch);
  return mergeMap(structuredClone(original) as JsonMap, patch, schema) as T;
}

function mergeMap(original: JsonMap, patch: JsonMap, schema: SchemaNode | undefined): JsonMap {
  const directive = patch[patchDirective];
  if (directive !== undefined) {
    if (directive === 'replace') return stripDirectives(patch);
    if (directive === 'delete') return {};
    if (directive !== 'merge')
      throw new PatchError(`unknown patch type: ${JSON.stringify(directive)} in map`);
  }
  const retainKeys = patch[retainKeysDirective];
  if (retainKeys !== undefined) {
    if (!Array.isArray(retainKeys))
      throw new PatchError(`${retainKeysDirective} must be a list of field names`);
    for (const key of Object.keys(original)) if (!retainKeys.includes(key)) delete original[key];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (!key.startsWith(deleteFromPrimitiveListPrefix)) continue;
    const field = key.slice(deleteFromPrimitiveListPrefix.length);
    const current = original[field];
    if (!Array.isArray(value)) throw new PatchError(`${key} must be a list`);
    if (Array.isArray(current))
      original[field] = current.filter((item) => !value.some((v) => deepEqual(v, item)));
  }
  // $setElementOrder sorts against the list as it was before this patch.
  const serverLists = new Map<string, unknown[]>();
  for (const key of Object.keys(patch)) {
    const field = key.slice(setElementOrderPrefix.length);
    const list = original[field];
    if (key.startsWith(setElementOrderPrefix) && Array.isArray(list)) serverLists.set(field, [...list]);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === patchDirective || key === retainKeysDirective || key.startsWith('$')) continue;
    if (value === null) {
      delete original[key];
      continue;
    }
    const sub = schema?.field(key);
    const current = original[key];
    if (isJsonMap(value)) {
      original[key] = mergeMap(isJsonMap(current) ? current : {}, value, sub);
    } else if (Array.isArray(value)) {
      original[key] = mergeList(Array.isArray(current) ? current : [], value, sub);
    } else {
      original[key] = value;
    }
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const field = key.slice(setElementOrderPrefix.length);
    const list = original[field];
    if (!Array.isArray(order)) throw new PatchError(`${key} must be a list`);
    if (Array.isArray(list)) {
      const mergeKey = schema?.field(field)?.patchMergeKey;
      original[field] = applyElementOrder(list, order, serverLists.get(field) ?? [], mergeKey);
    }
  }
  return original;
}

function mergeList(original: unknown[], patch: unknown[], schema: SchemaNode | undefined): unknown[] {
  const strategies = schema?.patchStrategies ?? [];
  if (!strategies.includes('merge'))
    return patch.map((item) => (isJsonMap(item) ? mergeMap({}, item, schema?.items) : item));
  const mergeKey = schema?.patchMergeKey;
  if (!mergeKey || !patch.some(isJsonMap)) {
    // A set of primitives: the union, ordered as the patch lists them (as Go does).
    const union = [...original, ...patch.filter((item) => !original.some((o) => deepEqual(o, item)))];
    return applyElementOrder(union, patch, original, undefined);
  }
  if (patch.some((item) => isJsonMap(item) && item[patchDirective] === 'replace')) {
    return patch
      .filter((item) => !(isJsonMap(item) && patchDirective in item))
      .map((item) => stripDirectives(item as JsonMap));
  }
  const result = [...original];
  for (const item of patch) {
    if (!isJsonMap(item))
      throw new PatchError(`a list merged by ${mergeKey} holds a non-object: ${JSON.stringify(item)}`);
    if (!(mergeKey in item)) {
      throw new PatchError(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
    }
    const index = result.findIndex((o) => isJsonMap(o) && deepEqual(o[mergeKey], item[mergeKey]));
    if (item[patchDirective] === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = mergeMap(result[index] as JsonMap, item, schema?.items);
    } else {
      result.push(mergeMap({}, item, schema?.items));
    }
  }
  // Without $setElementOrder, the patch's own order applies (Go's normalizeElementOrder).
  const order = patch.filter((item) => !(isJsonMap(item) && item[patchDirective] === 'delete'));
  return applyElementOrder(result, order, original, mergeKey);
}

/**
 * Orders a merged list by `$setElementOrder` (or the patch's list). Items the patch names come in
 * that order; items only the server has keep their place relative to them in the server's list.
 */
function applyElementOrder(
  list: unknown[],
  order: unknown[],
  server: unknown[],
  mergeKey: string | undefined,
): unknown[] {
  const keyOf = (item: unknown): unknown => (mergeKey && isJsonMap(item) ? item[mergeKey] : item);
  const indexIn = (items: unknown[], item: unknown): number =>
    items.findIndex((o) => deepEqual(keyOf(o), keyOf(item)));
  const named = list
    .filter((item) => indexIn(order, item) >= 0)
    .sort((a, b) => indexIn(order, a) - indexIn(order, b));
  const serverOnly = list.filter((item) => indexIn(order, item) < 0);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < named.length || j < serverOnly.length) {
    const left = named[i];
    const leftAt = indexIn(server, left);
    // A named item the server lacks goes first; otherwise the one earlier in the server's list.
    if (
      j >= serverOnly.length ||
      (i < named.length && (leftAt < 0 || leftAt < indexIn(server, serverOnly[j])))
    ) {
      out.push(left);
      i++;
    } else {
      out.push(serverOnly[j]);
      j++;
    }
  }
  return out;
}

function stripDirectives(map: JsonMap): JsonMap {
  return Object.fromEntries(Object.entries(map).filter(([key]) => !key.startsWith('$')));
}
