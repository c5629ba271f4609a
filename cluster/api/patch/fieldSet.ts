// Sets of field paths in server-side apply's FieldsV1 vocabulary: `f:<field>`, `k:<keys as JSON>`
// for associative-list items, `v:<value as JSON>` for set items, and `.` for "the item itself".
// https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management
import { isDeepStrictEqual } from 'node:util';
import type { SchemaNode } from '../openapi/schemas';
import { isJsonMap, type JsonMap } from './jsonMap';

/** A path is a list of segments. */
export type FieldPath = string[];

/**
 * A set of field paths kept as a trie, which is FieldsV1's own shape: each node is the set of the
 * paths below it, so writes never build a string per path.
 */
export class FieldSet {
  /** Whether the path leading to this node is itself in the set. */
  member = false;
  /** In first-insertion order, the order FieldsV1 lists them in. Never holds an empty node. */
  children: Map<string, FieldSet> | undefined;

  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    if (!isJsonMap(fields)) return set;
    for (const seg of Object.keys(fields)) {
      if (seg === '.') {
        set.member = true;
        continue;
      }
      const child = fields[seg];
      set.attach(seg, isJsonMap(child) && hasKeys(child) ? FieldSet.fromFieldsV1(child) : leaf());
    }
    return set;
  }

  get isEmpty(): boolean {
    return !this.member && !this.children?.size;
  }

  has(path: FieldPath): boolean {
    return this.find(path)?.member ?? false;
  }

  /** Whether the path or a path below it is in the set. */
  covers(path: FieldPath): boolean {
    return this.find(path) !== undefined;
  }

  delete(path: FieldPath): void {
    this.deleteFrom(path, 0);
  }

  /** Adds `other`'s paths in its order. Its nodes move here, so `other` is not to be used afterwards. */
  merge(other: FieldSet): void {
    if (other.member) this.member = true;
    for (const [seg, child] of other.children ?? []) this.attach(seg, child);
  }

  /** The paths in the order their nodes were inserted, each before the paths below it. */
  *paths(prefix: FieldPath = []): Generator<FieldPath> {
    if (this.member) yield prefix;
    for (const [seg, child] of this.children ?? []) yield* child.paths([...prefix, seg]);
  }

  /** FieldsV1 JSON (`{"f:spec":{"f:replicas":{}}}`). */
  toFieldsV1(): JsonMap {
    // A member that also has children carries the `.` member, written first as Kubernetes does.
    const out: JsonMap = this.member && this.children?.size ? { '.': {} } : {};
    for (const [seg, child] of this.children ?? []) out[seg] = child.toFieldsV1();
    return out;
  }

  /** Adds `node`'s paths below `seg`, moving its nodes as merge does. */
  attach(seg: string, node: FieldSet): void {
    const existing = this.children?.get(seg);
    if (existing) existing.merge(node);
    else {
      this.children ??= new Map();
      this.children.set(seg, node);
    }
  }

  private find(path: FieldPath): FieldSet | undefined {
    let node: FieldSet | undefined = this;
    for (const seg of path) node = node?.children?.get(seg);
    return node;
  }

  private deleteFrom(path: FieldPath, depth: number): void {
    if (depth === path.length) {
      this.member = false;
      return;
    }
    const seg = path[depth] as string;
    const child = this.children?.get(seg);
    if (!child) return;
    child.deleteFrom(path, depth + 1);
    if (child.isEmpty) this.children?.delete(seg);
  }
}

export function leaf(): FieldSet {
  const set = new FieldSet();
  set.member = true;
  return set;
}

/** `set`, created when undefined, with `node`'s paths added below `seg`. */
export function withChild(set: FieldSet | undefined, seg: string, node: FieldSet): FieldSet {
  const out = set ?? new FieldSet();
  out.attach(seg, node);
  return out;
}

export function hasKeys(map: JsonMap): boolean {
  for (const _ in map) return true;
  return false;
}

type ListKind = { kind: 'map'; keys: string[] } | { kind: 'set' } | { kind: 'atomic' };

const atomicList: ListKind = { kind: 'atomic' };
const listKinds = new WeakMap<SchemaNode, ListKind>();

/** How a list merges: by keys (list-map), as a set, or whole (atomic, the default for untyped lists). */
export function listKind(schema: SchemaNode | undefined): ListKind {
  if (!schema) return atomicList;
  let kind = listKinds.get(schema);
  if (!kind) {
    kind = computeListKind(schema);
    listKinds.set(schema, kind);
  }
  return kind;
}

function computeListKind(schema: SchemaNode): ListKind {
  if (schema.listType === 'map') return { kind: 'map', keys: keyOrder(schema.listMapKeys) };
  if (schema.listType === 'set') return { kind: 'set' };
  if (schema.listType === 'atomic' || !schema.patchStrategies.includes('merge')) return atomicList;
  return schema.patchMergeKey ? { kind: 'map', keys: [schema.patchMergeKey] } : { kind: 'set' };
}

/** Key fields in the order JSON.stringify writes an object built in sorted key order. */
function keyOrder(keys: string[]): string[] {
  return Object.keys(Object.fromEntries([...keys].sort().map((key) => [key, true])));
}

export function isAtomicMap(schema: SchemaNode | undefined): boolean {
  return schema?.mapType === 'atomic';
}

/**
 * The `k:` segment of a list-map item: the JSON of its key fields (`keys` as listKind orders
 * them); key fields missing from the item take their schema default.
 */
export function itemKey(item: unknown, keys: string[], items: SchemaNode | undefined): string {
  const record = isJsonMap(item) ? item : {};
  let out = 'k:{';
  for (const key of keys) {
    const json = JSON.stringify(record[key] ?? items?.properties[key]?.defaultValue);
    if (json === undefined) continue;
    out += `${out.length > 3 ? ',' : ''}${JSON.stringify(key)}:${json}`;
  }
  return `${out}}`;
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

/** Whether the path names a list item (`k:` or `v:`) rather than a field. */
export function isItemPath(path: FieldPath): boolean {
  return !(path.at(-1) ?? 'f:').startsWith('f:');
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

/** The index of the item a `k:` or `v:` segment names in `list`, or -1. */
export function findItem(list: unknown[], seg: string, listSchema: SchemaNode | undefined): number {
  if (seg.startsWith('v:')) {
    const value = JSON.parse(seg.slice(2));
    return list.findIndex((item) => isDeepStrictEqual(item, value));
  }
  const kind = listKind(listSchema);
  const keys = kind.kind === 'map' ? kind.keys : keyOrder(Object.keys(JSON.parse(seg.slice(2)) as object));
  return list.findIndex((item) => itemKey(item, keys, listSchema?.items) === seg);
}
