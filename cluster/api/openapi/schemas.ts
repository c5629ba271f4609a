// A resolved, read-only view of the OpenAPI v3 component schemas, indexed by group/version/kind,
// for validation, strategic merge patch and server-side apply. `$ref`s resolve lazily, so
// recursive schemas (JSONSchemaProps) are fine.
import { openapiV3Document, openapiV3Paths } from './openapiDocuments';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

interface RawSchema {
  $ref?: string;
  allOf?: RawSchema[];
  oneOf?: RawSchema[];
  type?: string;
  format?: string;
  properties?: Record<string, RawSchema>;
  additionalProperties?: RawSchema | boolean;
  items?: RawSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/** One schema position. Property-level extensions (merge keys, list types) are merged in. */
export class SchemaNode {
  #properties?: Record<string, SchemaNode>;
  #items?: SchemaNode | null;
  #additional?: SchemaNode | null;

  constructor(
    private readonly raw: RawSchema,
    private readonly resolve: (raw: RawSchema) => SchemaNode,
    /** The component name this node came from, e.g. `io.k8s.api.core.v1.Container`. */
    readonly definition?: string,
  ) {}

  /** Types accepted here: one for most fields; several for Quantity (string|number). */
  get types(): SchemaType[] {
    if (this.intOrString) return ['integer', 'string'];
    if (this.raw.type) return [this.raw.type as SchemaType];
    return (this.raw.oneOf ?? []).flatMap((s) => (s.type ? [s.type as SchemaType] : []));
  }
  get type(): SchemaType | undefined {
    return this.types.length === 1 ? this.types[0] : undefined;
  }
  get format(): string | undefined {
    return this.raw.format;
  }
  get enum(): unknown[] | undefined {
    return this.raw.enum;
  }
  /** The schema's `default`, e.g. `TCP` for a container port's protocol. */
  get defaultValue(): unknown {
    return this.raw.default;
  }
  get required(): string[] {
    return this.raw.required ?? [];
  }
  get intOrString(): boolean {
    return this.raw.format === 'int-or-string' || this.raw['x-kubernetes-int-or-string'] === true;
  }
  get patchMergeKey(): string | undefined {
    return this.raw['x-kubernetes-patch-merge-key'];
  }
  /** Strategies from `x-kubernetes-patch-strategy`, e.g. `['merge', 'retainKeys']`. */
  get patchStrategies(): string[] {
    return this.raw['x-kubernetes-patch-strategy']?.split(',').filter(Boolean) ?? [];
  }
  get listType(): 'atomic' | 'set' | 'map' | undefined {
    return this.raw['x-kubernetes-list-type'];
  }
  get listMapKeys(): string[] {
    return this.raw['x-kubernetes-list-map-keys'] ?? [];
  }
  get mapType(): 'atomic' | 'granular' | undefined {
    return this.raw['x-kubernetes-map-type'];
  }
  get preserveUnknownFields(): boolean {
    return this.raw['x-kubernetes-preserve-unknown-fields'] === true;
  }
  get embeddedResource(): boolean {
    return this.raw['x-kubernetes-embedded-resource'] === true;
  }
  /** An object schema that says nothing of its fields (RawExtension, JSON): anything goes. */
  get freeForm(): boolean {
    return (
      this.preserveUnknownFields ||
      (this.type === 'object' && !this.raw.properties && this.raw.additionalProperties === undefined)
    );
  }
  get properties(): Record<string, SchemaNode> {
    this.#properties ??= Object.fromEntries(
      Object.entries(this.raw.properties ?? {}).map(([name, raw]) => [name, this.resolve(raw)]),
    );
    return this.#properties;
  }
  get items(): SchemaNode | undefined {
    if (this.#items === undefined) this.#items = this.raw.items ? this.resolve(this.raw.items) : null;
    return this.#items ?? undefined;
  }
  /** The schema of a field or map value under this node; undefined in free-form objects. */
  field(key: string): SchemaNode | undefined {
    if (this.freeForm) return undefined;
    return this.properties[key] ?? this.additionalProperties;
  }
  /** The schema of map values (`additionalProperties`), when it is a schema. */
  get additionalProperties(): SchemaNode | undefined {
    if (this.#additional === undefined) {
      const extra = this.raw.additionalProperties;
      this.#additional = extra && typeof extra === 'object' ? this.resolve(extra) : null;
    }
    return this.#additional ?? undefined;
  }
}

interface SchemaIndex {
  components: Record<string, RawSchema>;
  byKind: Map<string, string>;
}

let index: SchemaIndex | undefined;

function schemaIndex(): SchemaIndex {
  if (!index) {
    const components: Record<string, RawSchema> = {};
    const byKind = new Map<string, string>();
    for (const path of openapiV3Paths()) {
      const doc = JSON.parse(openapiV3Document(path)?.toString('utf8') ?? '{}') as {
        components?: { schemas?: Record<string, RawSchema> };
      };
      Object.assign(components, doc.components?.schemas);
    }
    for (const [name, raw] of Object.entries(components)) {
      for (const gvk of raw['x-kubernetes-group-version-kind'] ?? []) {
        // Meta kinds (DeleteOptions, Status, WatchEvent) list every group; keep the first owner.
        if (!byKind.has(gvkKey(gvk))) byKind.set(gvkKey(gvk), name);
      }
    }
    index = { components, byKind };
  }
  return index;
}

function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

const definitionCache = new Map<string, SchemaNode>();

function resolveRaw(raw: RawSchema): SchemaNode {
  const ref = raw.$ref ?? (raw.allOf?.length === 1 ? raw.allOf[0]?.$ref : undefined);
  if (!ref) return new SchemaNode(raw, resolveRaw);
  const name = ref.replace(/^#\/(components\/schemas|definitions)\//, '');
  const target = schemaIndex().components[name];
  if (!target) return new SchemaNode({}, resolveRaw, name);
  const { $ref: _ref, allOf: _allOf, ...site } = raw;
  if (Object.keys(site).every((k) => k === 'description' || k === 'default')) return definition(name, target);
  return new SchemaNode({ ...target, ...site }, resolveRaw, name);
}

function definition(name: string, raw: RawSchema): SchemaNode {
  let node = definitionCache.get(name);
  if (!node) {
    node = new SchemaNode(raw, resolveRaw, name);
    definitionCache.set(name, node);
  }
  return node;
}

/** The schema of a built-in kind, or undefined when we have none (custom resources: see customResourceSchema). */
export function schemaForKind(gvk: GroupVersionKind): SchemaNode | undefined {
  const idx = schemaIndex();
  const name = idx.byKind.get(gvkKey(gvk));
  const raw = name ? idx.components[name] : undefined;
  return name && raw ? definition(name, raw) : undefined;
}

/** The schema of a named component, e.g. `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`. */
export function schemaForDefinition(name: string): SchemaNode | undefined {
  const raw = schemaIndex().components[name];
  return raw ? definition(name, raw) : undefined;
}

/**
 * The schema view of a custom resource's `openAPIV3Schema` (from its CRD version), to pass to
 * validation and server-side apply as their `schema` option. `metadata` is ObjectMeta, as for built-ins.
 */
export function customResourceSchema(openAPIV3Schema: object): SchemaNode {
  const raw = structuredClone(openAPIV3Schema) as RawSchema;
  raw.properties = {
    ...raw.properties,
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
  };
  return new SchemaNode(raw, resolveRaw);
}
