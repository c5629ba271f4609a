// Sets of field paths in server-side apply's FieldsV1 vocabulary: `f:<field>`, `k:<keys as JSON>`
// for associative-list items, `v:<value as JSON>` for set items, and `.` for "the item itself".
// https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management
import { isDeepStrictEqual } from 'node:util';
import type { SchemaNode } from '../openapi/schemas';
import { isJsonMap } from './jsonMap';

/** A path is a list of segments; sets store paths as their JSON text. */
export type FieldPath = string[];
export type FieldSet = Set<string>;

type ListKind = { kind: 'map'; keys: string[] } | { kind: 'set' } | { kind: 'atomic' };

/** How a list merges: by keys (list-map), as a set, or whole (atomic, the default for untyped lists). */
export function listKind(schema: SchemaNode | undefined): ListKind {
  if (schema?.listType === 'map') return { kind: 'map', keys: schema.listMapKeys };
  if (schema?.listType === 'set') return { kind: 'set' };
  if (schema?.listType === 'atomic' || !schema?.patchStrategies.includes('merge')) return { kind: 'atomic' };
  return schema.patchMergeKey ? { kind: 'map', keys: [schema.patchMergeKey] } : { kind: 'set' };
}

export function isAtomicMap(schema: SchemaNode | undefined): boolean {
  return schema?.mapType === 'atomic';
}

/** The `k:` segment of a list-map item; key fields missing from the item take their schema default. */
export function itemKey(item: unknown, keys: string[], items: SchemaNode | undefined): string {
  const record = isJsonMap(item) ? item : {};
  const picked: Record<string, unknown> = {};
  for (const key of [...keys].sort()) {
    const value = record[key] ?? items?.properties[key]?.defaultValue;
    if (value !== undefined) picked[key] = value;
  }
  return `k:${JSON.stringify(picked)}`;
}

/** Every owned path of `value`: leaves, list-map items (as themselves) and set items. */
export function fieldsOf(value: unknown, schema: SchemaNode | undefined, prefix: FieldPath = []): FieldSet {
  const out: FieldSet = new Set();
  const walk = (v: unknown, s: SchemaNode | undefined, path: FieldPath): void => {
    if (isJsonMap(v) && !isAtomicMap(s) && Object.keys(v).length > 0) {
      for (const [key, child] of Object.entries(v)) walk(child, s?.field(key), [...path, `f:${key}`]);
      return;
    }
    if (Array.isArray(v) && v.length > 0) {
      const list = listKind(s);
      if (list.kind === 'map') {
        for (const item of v) {
          const itemPath = [...path, itemKey(item, list.keys, s?.items)];
          out.add(JSON.stringify(itemPath));
          if (isJsonMap(item))
            for (const [key, child] of Object.entries(item))
              walk(child, s?.items?.field(key), [...itemPath, `f:${key}`]);
        }
        return;
      }
      if (list.kind === 'set') {
        for (const item of v) out.add(JSON.stringify([...path, `v:${JSON.stringify(item)}`]));
        return;
      }
    }
    if (path.length > 0) out.add(JSON.stringify(path));
  };
  walk(value, schema, prefix);
  return out;
}

export function parsePath(key: string): FieldPath {
  return JSON.parse(key) as FieldPath;
}

/** Kubernetes' printed form of a path, e.g. `.spec.template.spec.containers[name="web"].image`. */
export function formatPath(path: FieldPath): string {
  return path
    .map((seg) => {
      if (seg.startsWith('f:')) return `.${seg.slice(2)}`;
      if (seg.startsWith('v:')) return `[=${seg.slice(2)}]`;
      const keys = JSON.parse(seg.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(keys)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

/** FieldsV1 JSON (`{"f:spec":{"f:replicas":{}}}`) from a set of paths. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  type Trie = Map<string, Trie> & { member?: boolean };
  const root: Trie = new Map();
  for (const path of [...set].map(parsePath)) {
    let node = root;
    for (const seg of path) {
      let next = node.get(seg);
      if (!next) {
        next = new Map();
        node.set(seg, next);
      }
      node = next;
    }
    node.member = true;
  }
  // A member that also has children carries the `.` member, written first as Kubernetes does.
  const emit = (node: Trie): Record<string, unknown> => {
    const out: Record<string, unknown> = node.member && node.size > 0 ? { '.': {} } : {};
    for (const [seg, child] of node) out[seg] = emit(child);
    return out;
  };
  return emit(root);
}

/** Whether the path names a list item (`k:` or `v:`) rather than a field. */
export function isItemPath(path: FieldPath): boolean {
  return !(path.at(-1) ?? 'f:').startsWith('f:');
}

/** The set of paths in a FieldsV1 object. */
export function fromFieldsV1(fields: unknown, prefix: FieldPath = []): FieldSet {
  const out: FieldSet = new Set();
  if (!isJsonMap(fields)) return out;
  for (const [seg, child] of Object.entries(fields)) {
    if (seg === '.') {
      out.add(JSON.stringify(prefix));
      continue;
    }
    const path = [...prefix, seg];
    if (isJsonMap(child) && Object.keys(child).length > 0)
      for (const p of fromFieldsV1(child, path)) out.add(p);
    else out.add(JSON.stringify(path));
  }
  return out;
}

/** The value at a path, or undefined. */
export function valueAt(obj: unknown, path: FieldPath, schema: SchemaNode | undefined): unknown {
  let node: unknown = obj;
  let s = schema;
  for (const seg of path) {
    if (seg.startsWith('f:')) {
      if (!isJsonMap(node)) return undefined;
      node = node[seg.slice(2)];
      s = s?.field(seg.slice(2));
    } else {
      if (!Array.isArray(node)) return undefined;
      const index = findItem(node, seg, s);
      node = index < 0 ? undefined : node[index];
      s = s?.items;
    }
  }
  return node;
}

/** Removes the field or item at a path (no-op when absent). */
export function removeAt(obj: unknown, path: FieldPath, schema: SchemaNode | undefined): void {
  const last = path.at(-1);
  if (last === undefined) return;
  const parentPath = path.slice(0, -1);
  const parent = valueAt(obj, parentPath, schema);
  if (last.startsWith('f:')) {
    if (isJsonMap(parent)) delete parent[last.slice(2)];
    return;
  }
  if (!Array.isArray(parent)) return;
  const parentSchema = parentPath.reduce<SchemaNode | undefined>(
    (s, seg) => (seg.startsWith('f:') ? s?.field(seg.slice(2)) : s?.items),
    schema,
  );
  const index = findItem(parent, last, parentSchema);
  if (index >= 0) parent.splice(index, 1);
}

function findItem(list: unknown[], seg: string, listSchema: SchemaNode | undefined): number {
  if (seg.startsWith('v:')) {
    const value = JSON.parse(seg.slice(2));
    return list.findIndex((item) => isDeepStrictEqual(item, value));
  }
  const kind = listKind(listSchema);
  const keys = kind.kind === 'map' ? kind.keys : Object.keys(JSON.parse(seg.slice(2)) as object);
  return list.findIndex((item) => itemKey(item, keys, listSchema?.items) === seg);
}
