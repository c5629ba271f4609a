// Walks an object as server-side apply sees it, against its schema's list and map types: which
// field paths it holds (fieldsOf), which a write changed (fieldsOf with `since`), and which of a
// manager's paths still name fields after a write (retainFields). Field sets are FieldSet tries.
import { isDeepStrictEqual } from 'node:util';
import type { SchemaNode } from '../openapi/schemas';
import { FieldSet, findItem, hasKeys, isAtomicMap, itemKey, leaf, listKind, withChild } from './fieldSet';
import { isJsonMap, type JsonMap } from './jsonMap';

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
