// Simplified server-side apply (`application/apply-patch+yaml`, helm 4's default) and the
// managedFields bookkeeping of ordinary writes. Each manager owns a set of field paths; applying
// merges the configuration by the schema's list types, drops fields the manager stopped applying
// (unless someone else owns them) and reports conflicts with other managers' differing values.
// https://kubernetes.io/docs/reference/using-api/server-side-apply/
import { isDeepStrictEqual } from 'node:util';
import { rfc3339 } from '../codec/goTime';
import { type GroupVersionKind, type SchemaNode, schemaForKind } from '../openapi/schemas';
import {
  FieldSet,
  formatPath,
  isAtomicMap,
  isItemPath,
  itemKey,
  listKind,
  removeAt,
  valueAt,
} from './fieldSet';
import { type FieldScope, fieldsOf, retainFields } from './fieldWalk';
import { isJsonMap, type JsonMap } from './jsonMap';
import { serverSetMetadata } from './serverSetMetadata';

/** One `metadata.managedFields` entry in its JSON form (client-node's model types `time` as a Date). */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: object;
  subresource?: string;
}

export interface ApplyOptions {
  manager: string;
  force: boolean;
  gvk: GroupVersionKind;
  apiVersion: string;
  now: Date;
  /** `status` or `scale` when applying to a subresource. */
  subresource?: string;
  /** Overrides the built-in schema lookup, e.g. with customResourceSchema(...) for custom resources. */
  schema?: SchemaNode;
}

export interface ApplyConflict {
  /** Kubernetes' form, e.g. `.spec.replicas` or `.spec.template.spec.containers[name="web"].image`. */
  field: string;
  manager: string;
}

export interface ApplyResult {
  /** The merged object with updated managedFields; the unchanged `live` when there are conflicts. */
  object: JsonMap;
  /** Non-empty means the API server answers 409 with FieldManagerConflict causes. */
  conflicts: ApplyConflict[];
}

interface Manager {
  entry: ManagedFieldsEntry;
  fields: FieldSet;
}

// Fields the server sets, and the object's identity; nobody owns them (as kube-apiserver strips
// them from managed fields).
const serverFields = ['apiVersion', 'kind', 'status'];
const unownedMetadata: readonly string[] = ['name', 'namespace', ...serverSetMetadata];
const ownedMetadata: FieldScope = (key) => !unownedMetadata.includes(key);
const ownedMain: FieldScope = (key) => (key === 'metadata' ? ownedMetadata : !serverFields.includes(key));
const ownedStatus: FieldScope = (key) => key === 'status';

/** The paths a manager can own (server-set fields left out) that are new or changed since `old`. */
function ownedFields(
  obj: unknown,
  schema: SchemaNode | undefined,
  subresource: string | undefined,
  old?: unknown,
): FieldSet {
  return fieldsOf(obj, schema, { scope: subresource === 'status' ? ownedStatus : ownedMain, since: old });
}

function managersOf(obj: JsonMap | undefined): Manager[] {
  const entries = ((obj?.metadata as JsonMap | undefined)?.managedFields ?? []) as ManagedFieldsEntry[];
  return entries.map((entry) => ({ entry: { ...entry }, fields: FieldSet.fromFieldsV1(entry.fieldsV1) }));
}

function sameManager(
  m: Manager,
  manager: string,
  operation: 'Apply' | 'Update',
  subresource?: string,
): boolean {
  return (
    m.entry.manager === manager &&
    m.entry.operation === operation &&
    (m.entry.subresource ?? '') === (subresource ?? '')
  );
}

/** Writes the managers back, dropping those that own nothing. */
function withManagers(obj: JsonMap, managers: Manager[]): JsonMap {
  const managedFields = managers
    .filter((m) => !m.fields.isEmpty)
    .map((m) => ({ ...m.entry, fieldsType: 'FieldsV1', fieldsV1: m.fields.toFieldsV1() }));
  const metadata = { ...((obj.metadata as JsonMap | undefined) ?? {}) };
  if (managedFields.length > 0) metadata.managedFields = managedFields;
  else delete metadata.managedFields;
  return { ...obj, metadata };
}

function entryFor(
  opts: { manager: string; apiVersion: string; now: Date; subresource?: string },
  operation: 'Apply' | 'Update',
) {
  return {
    manager: opts.manager,
    operation,
    apiVersion: opts.apiVersion,
    time: rfc3339(Math.floor(opts.now.getTime() / 1000)),
    fieldsType: 'FieldsV1',
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  } satisfies ManagedFieldsEntry;
}

/** Applies `applied` (the manager's whole intended configuration) to `live` (undefined: create). */
export function serverSideApply(live: object | undefined, applied: object, opts: ApplyOptions): ApplyResult {
  const schema = opts.schema ?? schemaForKind(opts.gvk);
  const config = structuredClone(applied) as JsonMap;
  if (isJsonMap(config.metadata)) delete config.metadata.managedFields;
  const appliedFields = ownedFields(config, schema, opts.subresource);
  const current = live ? (structuredClone(live) as JsonMap) : undefined;
  const managers = managersOf(current);
  const own = managers.find((m) => sameManager(m, opts.manager, 'Apply', opts.subresource));
  const others = managers.filter((m) => m !== own);

  const conflicts: ApplyConflict[] = [];
  for (const other of others) {
    if (other.entry.manager === opts.manager) continue;
    for (const path of appliedFields.paths()) {
      if (!other.fields.has(path)) continue;
      // Items are identified by their keys; only present field values can disagree.
      const liveValue = isItemPath(path) ? undefined : valueAt(current, path, schema);
      if (liveValue === undefined || isDeepStrictEqual(liveValue, valueAt(config, path, schema))) continue;
      if (opts.force) other.fields.delete(path);
      else conflicts.push({ field: formatPath(path), manager: other.entry.manager ?? '' });
    }
  }
  if (conflicts.length > 0) return { object: (live ?? {}) as JsonMap, conflicts };

  const merged = mergeApplied(current ?? {}, config, schema) as JsonMap;
  // Fields this manager applied last time but not now are removed, unless another manager owns them.
  // Shortest first, so an item goes before its fields (which are then no longer found).
  const dropped = [...(own?.fields.paths() ?? [])]
    .filter((path) => !appliedFields.has(path))
    .sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length);
  for (const path of dropped) {
    if (!others.some((m) => m.fields.covers(path))) removeAt(merged, path, schema);
  }
  const mine: Manager = { entry: entryFor(opts, 'Apply'), fields: appliedFields };
  const updated = own ? managers.map((m) => (m === own ? mine : m)) : [...managers, mine];
  return { object: withManagers(merged, updated), conflicts: [] };
}

/** Merges an applied configuration into the live object, field by field, following list types. */
function mergeApplied(live: unknown, applied: unknown, schema: SchemaNode | undefined): unknown {
  if (isJsonMap(applied) && isJsonMap(live) && !isAtomicMap(schema)) {
    const out: JsonMap = { ...live };
    for (const [key, value] of Object.entries(applied))
      out[key] = mergeApplied(live[key], value, schema?.field(key));
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const list = listKind(schema);
    if (list.kind === 'set')
      return [...live, ...applied.filter((v) => !live.some((l) => isDeepStrictEqual(l, v)))];
    if (list.kind === 'map') {
      const keyOf = (item: unknown) => itemKey(item, list.keys, schema?.items);
      // Applied items come in the applied order; items only others set follow in their order.
      const merged = applied.map((item) => {
        const match = live.find((l) => keyOf(l) === keyOf(item));
        return match === undefined ? item : mergeApplied(match, item, schema?.items);
      });
      const appliedKeys = new Set(applied.map(keyOf));
      return [...merged, ...live.filter((l) => !appliedKeys.has(keyOf(l)))];
    }
  }
  return applied;
}

export interface UpdateOptions {
  gvk: GroupVersionKind;
  apiVersion: string;
  now: Date;
  subresource?: string;
  schema?: SchemaNode;
}

/**
 * Records an ordinary write (create, update, non-apply patch) by `manager` in the new object's
 * managedFields: the manager takes the fields it changed, and removed fields leave every set.
 * If the write itself changed managedFields (kubectl's client-side-apply upgrade does), it is kept.
 */
export function recordUpdate(
  old: object | undefined,
  updated: object,
  manager: string,
  operation: 'Update',
  opts: UpdateOptions,
): JsonMap {
  // The result shares `updated`'s fields and changes nothing in it: callers either own that object
  // or only encode it.
  const next = updated as JsonMap;
  const before = old as JsonMap | undefined;
  const oldManaged = (before?.metadata as JsonMap | undefined)?.managedFields;
  const newManaged = (next.metadata as JsonMap | undefined)?.managedFields;
  if (newManaged !== undefined && before && !isDeepStrictEqual(oldManaged, newManaged)) return next;
  const schema = opts.schema ?? schemaForKind(opts.gvk);
  const changed = ownedFields(next, schema, opts.subresource, before);
  const managers = managersOf(before);
  // Removal is judged on the whole object, so a status write leaves spec owners alone.
  const owned = managers.map((m) => m.fields);
  retainFields(owned, next, schema, changed);
  const own = managers.find((m) => sameManager(m, manager, operation, opts.subresource));
  const mine: Manager = { entry: entryFor({ manager, ...opts }, operation), fields: own?.fields ?? changed };
  if (own && changed.isEmpty) mine.entry.time = own.entry.time;
  else own?.fields.merge(changed);
  const result = own ? managers.map((m) => (m === own ? mine : m)) : [...managers, mine];
  return withManagers(next, result);
}
