// Checks a decoded object against its OpenAPI schema the way kube-apiserver's decoder does: values
// of the wrong JSON type fail decoding, unknown fields are collected for fieldValidation
// Strict (400 `strict decoding error: unknown field "spec.foo"`) or Warn (warning headers), and
// fields the schema marks required must be present.
import { type FieldError, fieldError } from '../../registry/fieldError';
import { type GroupVersionKind, type SchemaNode, schemaForKind } from '../openapi/schemas';

export type FieldValidationMode = 'Strict' | 'Warn' | 'Ignore';

export interface SchemaValidationResult {
  errors: FieldError[];
  /** Unknown fields as Kubernetes prints them: `spec.foo`, `spec.template.spec.containers[0].bar`. */
  unknownFields: string[];
}

interface Walk {
  errors: FieldError[];
  unknownFields: string[];
  reportUnknown: boolean;
  /** Delete unknown fields as they are found (the object is a copy). */
  prune: boolean;
}

/**
 * Validates `obj` against the kind's schema (or `opts.schema`, e.g. a custom resource's);
 * kinds without a schema pass unchecked.
 */
export function validateAgainstSchema(
  gvk: GroupVersionKind,
  obj: unknown,
  mode: FieldValidationMode,
  opts: { schema?: SchemaNode } = {},
): SchemaValidationResult {
  const walk: Walk = { errors: [], unknownFields: [], reportUnknown: mode !== 'Ignore', prune: false };
  const schema = opts.schema ?? schemaForKind(gvk);
  if (schema) visit(walk, schema, obj, '', { struct: gvk.kind, stack: [] });
  return { errors: walk.errors, unknownFields: walk.unknownFields };
}

/**
 * A copy of `obj` without the fields its schema does not know, as kube-apiserver drops them
 * under fieldValidation Warn and Ignore before storing the object.
 */
export function pruneUnknownFields<T>(gvk: GroupVersionKind, obj: T, opts: { schema?: SchemaNode } = {}): T {
  const copy = structuredClone(obj);
  const schema = opts.schema ?? schemaForKind(gvk);
  const walk: Walk = { errors: [], unknownFields: [], reportUnknown: false, prune: true };
  if (schema) visit(walk, schema, copy, '', { struct: gvk.kind, stack: [] });
  return copy;
}

/** Go's decode-error context: the innermost struct's name and the JSON field names from the root. */
interface GoContext {
  struct: string;
  stack: string[];
}

function visit(walk: Walk, schema: SchemaNode, value: unknown, path: string, go: GoContext): void {
  // JSON null decodes to the Go zero value, never an error.
  if (value === null || value === undefined) return;
  const types = schema.types;
  if (types.length > 0 && !matchesType(types, schema.format, value)) {
    walk.errors.push(fieldError('FieldValueTypeInvalid', path, typeMessage(schema, value, go)));
    return;
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items) for (const [i, item] of value.entries()) visit(walk, items, item, `${path}[${i}]`, go);
    return;
  }
  if (typeof value !== 'object') return;
  if (schema.freeForm && Object.keys(schema.properties).length === 0) return;
  const record = value as Record<string, unknown>;
  const struct = schema.definition ? goTypeName(schema.definition) : go.struct;
  for (const [key, child] of Object.entries(record)) {
    const childPath = path ? `${path}.${key}` : key;
    const property = schema.properties[key];
    const context = { struct, stack: [...go.stack, key] };
    if (property) visit(walk, property, child, childPath, context);
    else if (schema.additionalProperties)
      visit(walk, schema.additionalProperties, child, `${path}[${key}]`, context);
    else if (!schema.preserveUnknownFields && !schema.freeForm) {
      if (walk.reportUnknown) walk.unknownFields.push(childPath);
      if (walk.prune) delete record[key];
    }
  }
  for (const required of schema.required) {
    // Built-in `required` only means the Go field has no omitempty; an absent list decodes to nil
    // and is left to the kind's own validation (EndpointSlice.endpoints may be empty).
    if (schema.properties[required]?.type === 'array') continue;
    if (record[required] === undefined || record[required] === null) {
      walk.errors.push(
        fieldError('FieldValueRequired', path ? `${path}.${required}` : required, 'Required value'),
      );
    }
  }
}

function matchesType(types: string[], format: string | undefined, value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      return types.includes('string') && (format !== 'byte' || isBase64(value));
    case 'boolean':
      return types.includes('boolean');
    case 'number':
      if (types.includes('number')) return true;
      if (!types.includes('integer') || !Number.isInteger(value)) return false;
      return format === 'int32' ? value >= -(2 ** 31) && value < 2 ** 31 : Number.isSafeInteger(value);
    default:
      return Array.isArray(value) ? types.includes('array') : types.includes('object');
  }
}

function isBase64(value: string): boolean {
  return value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value);
}

/** Go's wording, e.g. `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`. */
function typeMessage(schema: SchemaNode, value: unknown, go: GoContext): string {
  if (typeof value === 'string' && schema.format === 'byte')
    return `illegal base64 data: ${JSON.stringify(value)}`;
  const kind = Array.isArray(value)
    ? 'array'
    : typeof value === 'object'
      ? 'object'
      : typeof value === 'boolean'
        ? 'bool'
        : typeof value === 'number'
          ? `number ${value}`
          : 'string';
  const field = go.stack.length > 0 ? `Go struct field ${go.struct}.${go.stack.join('.')}` : `Go value`;
  return `json: cannot unmarshal ${kind} into ${field} of type ${goType(schema)}`;
}

function goType(schema: SchemaNode): string {
  if (schema.intOrString) return 'intstr.IntOrString';
  if (schema.types.length > 1)
    return schema.definition ? goTypeName(schema.definition, true) : 'interface {}';
  switch (schema.type) {
    case 'integer':
      return schema.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'string':
      return schema.format === 'byte' ? '[]uint8' : 'string';
    case 'array':
      return `[]${schema.items ? goType(schema.items) : 'interface {}'}`;
    default:
      if (schema.definition) return goTypeName(schema.definition, true);
      return `map[string]${schema.additionalProperties ? goType(schema.additionalProperties) : 'interface {}'}`;
  }
}

/** `io.k8s.api.apps.v1.DeploymentSpec` -> `DeploymentSpec`, or `v1.DeploymentSpec` with its package. */
function goTypeName(definition: string, withPackage = false): string {
  const parts = definition.split('.');
  const name = parts.at(-1) ?? definition;
  return withPackage && parts.length > 1 ? `${parts.at(-2)}.${name}` : name;
}
