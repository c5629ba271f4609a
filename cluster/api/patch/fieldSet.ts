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

function leaf(): FieldSet {
  const set = new FieldSet();
  set.member = true;
  return set;
}

/** `set`, created when undefined, with `node`'s paths added below `seg`. */
function withChild(set: FieldSet | undefined, seg: string, node: FieldSet): FieldSet {
  const out = set ?? new FieldSet();
  out.attach(seg, node);
  return out;
}

function hasKeys(map: JsonMap): boolean {
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

const fieldSegments = new Map<string, string>();

// One string per field name for all writes rather than one per field per write; bounded because map
// keys (labels, ConfigMap data) are user data.
function fieldSegment(key: string): string {
  let seg = fieldSegments.get(key);
  if (seg === undefined) {
    seg = `f:${key}`;
    if (fieldSegments.size < 4096) fieldSegments.set(key, seg);
  }
  return seg;
}

function setItemKey(item: unknown): string {
  return `v:${JSON.stringify(item)}`;
}

/** Whether fieldsOf stops at `value` and counts it as one field (a leaf, atomic map or atomic list). */
function isLeaf(value: unknown, schema: SchemaNode | undefined): boolean {
  if (isJsonMap(value)) return isAtomicMap(schema) || !hasKeys(value);
  return !Array.isArray(value) || value.length === 0 || listKind(schema).kind === 'atomic';
}

function sameValue(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a === absent ? undefined : a, b === absent ? undefined : b);
}

// The values fieldsOf reaches at one path: usually none or one, several only below list-map items
// with duplicate keys (which Kubernetes allows for some lists, such as env).
const absent = Symbol('absent');
class Several {
  constructor(readonly values: unknown[]) {}
}
type Reached = unknown;

function join(reached: Reached, value: unknown): Reached {
  if (reached === absent) return value;
  if (reached instanceof Several) {
    reached.values.push(value);
    return reached;
  }
  return new Several([reached, value]);
}

/** Whether fieldsOf counts the path of `reached` as a field (see isLeaf). */
function reachesLeaf(reached: Reached, schema: SchemaNode | undefined): boolean {
  if (reached === absent) return false;
  if (!(reached instanceof Several)) return isLeaf(reached, schema);
  return reached.values.some((value) => isLeaf(value, schema));
}

/** An own field of a map (valueAt's view, without fieldsOf's conditions). */
function ownField(value: unknown, key: string): unknown {
  return isJsonMap(value) && Object.hasOwn(value, key) ? value[key] : absent;
}

/** The field `key` of a map that fieldsOf walks into (any map when it is a list item). */
function walkedField(value: unknown, key: string, schema: SchemaNode | undefined, inItem: boolean): unknown {
  return (inItem || !isAtomicMap(schema)) && isJsonMap(value) && Object.hasOwn(value, key)
    ? value[key]
    : absent;
}

/** The scope of a walk over a map: per field, skip it (false), take all of it (true), or narrow it. */
export type FieldScope = (key: string) => FieldScope | boolean;

export interface FieldsOfOptions {
  /** Keep only paths that are new since this object or hold a different value there (valueAt's). */
  since?: unknown;
  scope?: FieldScope;
}

/**
 * Every path of `value` in scope: leaves, list-map items (as themselves) and set items; with
 * `since`, only those a write from `since` to `value` changed, found in one walk over both.
 */
export function fieldsOf(
  value: unknown,
  schema: SchemaNode | undefined,
  opts: FieldsOfOptions = {},
): FieldSet {
  const old = opts.since === undefined ? absent : opts.since;
  const set = new FieldWalk().changes(value, value, old, old, schema, opts.scope ?? true) ?? new FieldSet();
  // The root itself is never a field.
  set.member = false;
  return set;
}

/** Removes from each set the paths that are not fields of `value` (as fieldsOf finds them) or are in `drop`. */
export function retainFields(
  sets: FieldSet[],
  value: unknown,
  schema: SchemaNode | undefined,
  drop: FieldSet | undefined,
): void {
  const walk = new FieldWalk();
  for (const set of sets) {
    set.member = false;
    walk.retain(set, value === undefined ? absent : value, schema, false, drop);
  }
}

/** One walk's state: the segments of the lists it met, each computed once. */
class FieldWalk {
  private readonly itemSegments = new Map<
    unknown[],
    { schema: SchemaNode | undefined; segments: string[] }
  >();

  /** The `k:` or `v:` segment of each item. */
  private segments(list: unknown[], schema: SchemaNode | undefined): string[] {
    const known = this.itemSegments.get(list);
    if (known && known.schema === schema) return known.segments;
    const kind = listKind(schema);
    const segments =
      kind.kind === 'map'
        ? list.map((item) => itemKey(item, kind.keys, schema?.items))
        : list.map(setItemKey);
    this.itemSegments.set(list, { schema, segments });
    return segments;
  }

  /** The items of lists in `reached` whose segment is `seg`, if the schema gives the lists that kind. */
  private items(reached: Reached, seg: string, schema: SchemaNode | undefined): Reached {
    if (listKind(schema).kind !== (seg.startsWith('k:') ? 'map' : 'set')) return absent;
    if (!(reached instanceof Several)) return this.itemsOf(reached, seg, schema, absent);
    let out: Reached = absent;
    for (const list of reached.values) out = this.itemsOf(list, seg, schema, out);
    return out;
  }

  private itemsOf(list: unknown, seg: string, schema: SchemaNode | undefined, out: Reached): Reached {
    if (!Array.isArray(list)) return out;
    const segments = this.segments(list, schema);
    let found = out;
    for (let i = 0; i < list.length; i++) if (segments[i] === seg) found = join(found, list[i]);
    return found;
  }

  /** The first item of `list` with segment `seg` (valueAt's view). */
  private firstItem(list: unknown, seg: string, schema: SchemaNode | undefined): unknown {
    if (!Array.isArray(list)) return absent;
    const index = seg.startsWith('v:')
      ? findItem(list, seg, schema)
      : this.segments(list, schema).indexOf(seg);
    return index < 0 ? absent : list[index];
  }

  /** The field `key` of maps in `reached` that fieldsOf walks into (any map when they are list items). */
  private fields(reached: Reached, key: string, schema: SchemaNode | undefined, inItem: boolean): Reached {
    if (!(reached instanceof Several)) return walkedField(reached, key, schema, inItem);
    let out: Reached = absent;
    for (const value of reached.values) {
      const field = walkedField(value, key, schema, inItem);
      if (field !== absent) out = join(out, field);
    }
    return out;
  }

  /**
   * The changed paths at and below a field, relative to it. `value` is the one fieldsOf visits,
   * `current` the field's valueAt (they differ below duplicate list-map keys); `old` is what
   * fieldsOf reaches in the old object and `oldCurrent` its valueAt.
   */
  changes(
    value: unknown,
    current: unknown,
    old: Reached,
    oldCurrent: unknown,
    schema: SchemaNode | undefined,
    scope: FieldScope | true,
  ): FieldSet | undefined {
    // The same object in both: nothing below changed.
    if (value === current && value === old && value === oldCurrent) return undefined;
    if (isJsonMap(value) && !isAtomicMap(schema) && hasKeys(value)) {
      return this.fieldChanges(value, current, old, oldCurrent, schema, scope, false, undefined);
    }
    if (Array.isArray(value) && value.length > 0) {
      const kind = listKind(schema).kind;
      if (kind === 'map') return this.itemChanges(value, current, old, oldCurrent, schema);
      if (kind === 'set') return this.setChanges(value, current, old, oldCurrent, schema);
    }
    if (reachesLeaf(old, schema) && sameValue(oldCurrent, current)) return undefined;
    return leaf();
  }

  /** The changed fields of a map (an object, or a list-map item when `inItem`), added to `set`. */
  private fieldChanges(
    value: JsonMap,
    current: unknown,
    old: Reached,
    oldCurrent: unknown,
    schema: SchemaNode | undefined,
    scope: FieldScope | true,
    inItem: boolean,
    set: FieldSet | undefined,
  ): FieldSet | undefined {
    let changes = set;
    for (const key of Object.keys(value)) {
      const inner = scope === true || scope(key);
      if (inner === false) continue;
      const child = value[key];
      const changed = this.changes(
        child,
        current === value ? child : ownField(current, key),
        this.fields(old, key, schema, inItem),
        ownField(oldCurrent, key),
        schema?.field(key),
        inner,
      );
      if (changed) changes = withChild(changes, fieldSegment(key), changed);
    }
    return changes;
  }

  private itemChanges(
    list: unknown[],
    current: unknown,
    old: Reached,
    oldCurrent: unknown,
    schema: SchemaNode | undefined,
  ): FieldSet | undefined {
    const segments = this.segments(list, schema);
    const itemSchema = schema?.items;
    let set: FieldSet | undefined;
    for (let i = 0; i < list.length; i++) {
      const seg = segments[i] as string;
      const item = list[i];
      const itemCurrent = this.firstItem(current, seg, schema);
      const oldItems = this.items(old, seg, schema);
      const oldItem = this.firstItem(oldCurrent, seg, schema);
      const same = oldItems !== absent && sameValue(oldItem, itemCurrent);
      // An equal item that is the only old one has equal fields too.
      if (same && item === itemCurrent && oldItems === oldItem) continue;
      const changed = isJsonMap(item)
        ? this.fieldChanges(
            item,
            itemCurrent,
            oldItems,
            oldItem,
            itemSchema,
            true,
            true,
            same ? undefined : leaf(),
          )
        : same
          ? undefined
          : leaf();
      if (changed) set = withChild(set, seg, changed);
    }
    return set;
  }

  private setChanges(
    list: unknown[],
    current: unknown,
    old: Reached,
    oldCurrent: unknown,
    schema: SchemaNode | undefined,
  ): FieldSet | undefined {
    let set: FieldSet | undefined;
    for (const seg of this.segments(list, schema)) {
      if (
        this.items(old, seg, schema) !== absent &&
        sameValue(this.firstItem(oldCurrent, seg, schema), this.firstItem(current, seg, schema))
      )
        continue;
      set = withChild(set, seg, leaf());
    }
    return set;
  }

  /** retainFields below `set`, whose path reaches `reached` in the object. */
  retain(
    set: FieldSet,
    reached: Reached,
    schema: SchemaNode | undefined,
    inItem: boolean,
    drop: FieldSet | undefined,
  ): void {
    for (const [seg, child] of set.children ?? []) {
      let below: Reached = absent;
      let childSchema: SchemaNode | undefined;
      let present: boolean;
      if (seg.startsWith('f:')) {
        const key = seg.slice(2);
        below = this.fields(reached, key, schema, inItem);
        childSchema = schema?.field(key);
        present = reachesLeaf(below, childSchema);
      } else if (seg.startsWith('k:')) {
        below = this.items(reached, seg, schema);
        childSchema = schema?.items;
        present = below !== absent;
      } else {
        present = this.items(reached, seg, schema) !== absent;
      }
      const dropped = drop?.children?.get(seg);
      if (!present || dropped?.member) child.member = false;
      if (below === absent) child.children = undefined;
      else this.retain(child, below, childSchema, seg.startsWith('k:'), dropped);
      if (child.isEmpty) set.children?.delete(seg);
    }
  }
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

function findItem(list: unknown[], seg: string, listSchema: SchemaNode | undefined): number {
  if (seg.startsWith('v:')) {
    const value = JSON.parse(seg.slice(2));
    return list.findIndex((item) => isDeepStrictEqual(item, value));
  }
  const kind = listKind(listSchema);
  const keys = kind.kind === 'map' ? kind.keys : keyOrder(Object.keys(JSON.parse(seg.slice(2)) as object));
  return list.findIndex((item) => itemKey(item, keys, listSchema?.items) === seg);
}
