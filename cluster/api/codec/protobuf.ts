// Decodes `application/vnd.kubernetes.protobuf` request bodies into the JSON form Go would produce.
// Wire and JSON rules: ../shared/kubernetes-proto/README.md (sections 1-4), applied through the
// generated descriptor and json-mapping data in cluster/api/generated/kubernetesProto.ts.
import protobuf from 'protobufjs';
import { packed } from '../generated/kubernetesProto';
import { unpack } from '../generated/unpack';
import { goDuration, rfc3339, rfc3339Micro } from './goTime';
import type { FieldMapping, ProtoBundle } from './protoBundle';
import { metaV1Package, protoPackageFor } from './protoPackage';

export class ProtobufDecodeError extends Error {
  override name = 'ProtobufDecodeError';
}

interface ProtoSchema {
  root: protobuf.Root;
  messages: ProtoBundle['messages'];
}

export const protobufMagic = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

let schema: ProtoSchema | undefined;

/** The protobufjs root of the served Kubernetes messages (loaded once, on first use). */
export function kubernetesProtoSchema(): ProtoSchema {
  if (!schema) {
    const bundle = unpack(packed) as ProtoBundle;
    const root = protobuf.Root.fromJSON(bundle.descriptor);
    root.resolveAll();
    schema = { root, messages: bundle.messages };
  }
  return schema;
}

/** The message type for a kind, or undefined when we have no schema for it. */
export function messageTypeFor(apiVersion: string, kind: string): protobuf.Type | undefined {
  const { root } = kubernetesProtoSchema();
  // Option and meta kinds (DeleteOptions, Status, ...) are sent under any group-version.
  for (const name of [`${protoPackageFor(apiVersion)}.${kind}`, `${metaV1Package}.${kind}`]) {
    const found = root.lookup(name);
    if (found instanceof protobuf.Type) return found;
  }
  return undefined;
}

export interface DecodeOptions {
  /** Fills a missing typeMeta, as Go does from the endpoint's expected kind. */
  defaultTypeMeta?: { apiVersion: string; kind: string };
}

/** Decodes `k8s\0` + runtime.Unknown into the object's JSON form, with apiVersion and kind. */
export function decodeKubernetesProtobuf(
  body: Uint8Array,
  opts: DecodeOptions = {},
): Record<string, unknown> {
  if (body.length === 0) throw new ProtobufDecodeError('empty data');
  if (body.length < 4 || protobufMagic.some((b, i) => body[i] !== b)) {
    throw new ProtobufDecodeError(
      'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    );
  }
  if (body.length === 4) throw new ProtobufDecodeError('empty body');
  const { root } = kubernetesProtoSchema();
  const unknown = decodeMessage(root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown'), body.subarray(4));
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion || opts.defaultTypeMeta?.apiVersion;
  const kind = typeMeta.kind || opts.defaultTypeMeta?.kind;
  if (!apiVersion || !kind)
    throw new ProtobufDecodeError('Object missing kind or version in protobuf envelope');
  const type = messageTypeFor(apiVersion, kind);
  if (!type) throw new ProtobufDecodeError(`no protobuf message known for ${apiVersion}, Kind=${kind}`);
  const raw = (unknown.raw as Uint8Array | undefined) ?? new Uint8Array();
  const object = toGoJson(type, decodeMessage(type, raw)) as Record<string, unknown>;
  return { kind, apiVersion, ...object };
}

function decodeMessage(type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> {
  try {
    return type.toObject(type.decode(bytes), { longs: Number }) as Record<string, unknown>;
  } catch (err) {
    throw new ProtobufDecodeError(`malformed protobuf ${type.name}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

const special: Record<string, (value: Record<string, unknown>) => unknown> = {
  'k8s.io.apimachinery.pkg.api.resource.Quantity': (v) => (v.string as string | undefined) || '0',
  'k8s.io.apimachinery.pkg.api.resource.QuantityValue': (v) => (v.string as string | undefined) || '0',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': (v) =>
    v.type === 1 ? ((v.strVal as string | undefined) ?? '') : ((v.intVal as number | undefined) ?? 0),
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': (v) =>
    v.seconds === undefined ? null : rfc3339(v.seconds as number),
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': (v) =>
    v.seconds === undefined && v.nanos === undefined
      ? null
      : rfc3339Micro((v.seconds as number | undefined) ?? 0, (v.nanos as number | undefined) ?? 0),
  'k8s.io.apimachinery.pkg.apis.meta.v1.Duration': (v) => goDuration((v.duration as number | undefined) ?? 0),
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': (v) => embeddedJson(v.Raw),
  'k8s.io.apimachinery.pkg.apis.meta.v1.Verbs': (v) => v.items ?? null,
  'k8s.io.apimachinery.pkg.runtime.RawExtension': (v) => embeddedJson(v.raw),
};

function embeddedJson(raw: unknown): unknown {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return null;
  if (raw.length > 4 && protobufMagic.every((b, i) => raw[i] === b)) return decodeKubernetesProtobuf(raw);
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (err) {
    throw new ProtobufDecodeError('embedded object is neither JSON nor a protobuf envelope', { cause: err });
  }
}

/** Custom JSON for value types named in json-mapping.json `customJSON` by their short name. */
function customJson(type: protobuf.Type, value: Record<string, unknown>): { value: unknown } | undefined {
  const name = type.fullName.slice(1);
  const handler = special[name];
  if (handler) return { value: handler(value) };
  const short = type.name;
  if (short === 'ExtraValue') return { value: value.items ?? null };
  if (short === 'JSON' && name.includes('apiextensions')) return { value: embeddedJson(value.raw) };
  if (short === 'JSONSchemaPropsOrBool') {
    return { value: value.schema ? messageJson(type.fields.schema, value.schema) : (value.allows ?? false) };
  }
  if (short === 'JSONSchemaPropsOrArray') {
    const many = value.jSONSchemas as unknown[] | undefined;
    const field = type.fields.jSONSchemas;
    if (many?.length && field) return { value: many.map((s) => messageJson(field, s)) };
    return { value: value.schema ? messageJson(type.fields.schema, value.schema) : null };
  }
  if (short === 'JSONSchemaPropsOrStringArray') {
    const props = value.property as string[] | undefined;
    if (props?.length) return { value: props };
    return { value: value.schema ? messageJson(type.fields.schema, value.schema) : null };
  }
  return undefined;
}

function messageJson(field: protobuf.Field | undefined, value: unknown): unknown {
  if (!field || !(field.resolvedType instanceof protobuf.Type)) return value;
  return toGoJson(field.resolvedType, value as Record<string, unknown>);
}

function toGoJson(type: protobuf.Type, value: Record<string, unknown>): unknown {
  const custom = customJson(type, value);
  if (custom) return custom.value;
  const mapping = kubernetesProtoSchema().messages[type.fullName.slice(1)] ?? {};
  const out: Record<string, unknown> = {};
  // Go writes struct fields in declaration order, which is the mapping's key order.
  const names = Object.keys(mapping).length > 0 ? Object.keys(mapping) : type.fieldsArray.map((f) => f.name);
  for (const name of names) {
    const field = type.fields[name];
    if (!field) continue;
    const rules = mapping[name] ?? { omitempty: true };
    const present = value[name] !== undefined && value[name] !== null;
    if (rules.inline) {
      Object.assign(
        out,
        toGoJson(field.resolvedType as protobuf.Type, (value[name] ?? {}) as Record<string, unknown>),
      );
      continue;
    }
    const json = fieldJson(field, rules, present ? value[name] : undefined);
    if (json === omit) continue;
    out[rules.json ?? name] = json;
  }
  return out;
}

const omit = Symbol('omit');

/** One field's JSON value as Go's encoding/json writes it from the decoded Go struct. */
function fieldJson(field: protobuf.Field, rules: FieldMapping, value: unknown): unknown {
  const isMessage = field.resolvedType instanceof protobuf.Type;
  if (field.map || field.repeated) {
    const empty =
      value === undefined ||
      (field.map ? Object.keys(value as object).length === 0 : (value as []).length === 0);
    if (empty) return rules.omitempty || rules.omitzero ? omit : null;
    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      return Object.fromEntries(entries.map(([k, v]) => [k, scalarOrMessage(field, v)]));
    }
    return (value as unknown[]).map((v) => scalarOrMessage(field, v));
  }
  if (value === undefined) {
    // Absent pointers stay nil; absent value fields are Go zero values.
    if (rules.pointer) return rules.omitempty || rules.omitzero ? omit : null;
    if (isMessage) {
      const zero = toGoJson(field.resolvedType as protobuf.Type, {});
      return rules.omitzero ? omit : zero;
    }
    return rules.omitempty || rules.omitzero ? omit : zeroScalar(field.type);
  }
  const json = scalarOrMessage(field, value);
  if (rules.pointer) return json;
  if (rules.omitzero && (json === null || isZero(json))) return omit;
  if (rules.omitempty && !isMessage && isZero(json)) return omit;
  return json;
}

function scalarOrMessage(field: protobuf.Field, value: unknown): unknown {
  if (field.resolvedType instanceof protobuf.Type)
    return toGoJson(field.resolvedType, value as Record<string, unknown>);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

function zeroScalar(type: string): unknown {
  if (type === 'string') return '';
  if (type === 'bool') return false;
  if (type === 'bytes') return null;
  return 0;
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false || v === null;
}
