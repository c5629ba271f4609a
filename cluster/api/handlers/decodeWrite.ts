// Turns a create/update body into an object: decoding, kind checks, and fieldValidation
// (Strict rejects unknown and duplicate fields with 400, Warn returns them as warnings).

import { apiVersionOf } from '../../registry/resourceCatalog';
import type { KubeObject } from '../../registry/strategy';
import { decodeObject, mediaTypeOf, protobufType, readBody } from '../http/requestBody';
import { badRequest, invalid } from '../status';
import { findDuplicateFields, jsonRepeatsKeys } from '../validation/duplicateFields';
import { type FieldValidationMode, validateAgainstSchema } from '../validation/schemaValidation';
import type { ApiRequest } from './apiRequest';

export interface DecodedWrite {
  object: KubeObject;
  warnings: string[];
}

function fieldValidationOf(query: URLSearchParams): FieldValidationMode {
  const mode = query.get('fieldValidation');
  return mode === 'Strict' || mode === 'Ignore' ? mode : 'Warn';
}

/** Schema checks for an object about to be written: wrong types are 400s, unknown fields per mode. */
export function checkSchema(api: ApiRequest, obj: KubeObject, duplicates: string[] = []): string[] {
  const { info } = api;
  const mode = fieldValidationOf(api.query);
  const gvk = { group: info.group, version: info.version, kind: info.kind };
  const { errors, unknownFields } = validateAgainstSchema(gvk, obj, mode);
  const typeErrors = errors.filter((e) => e.type === 'FieldValueTypeInvalid');
  if (typeErrors.length > 0) {
    throw badRequest(
      `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${typeErrors[0]?.message}`,
    );
  }
  const others = errors.filter((e) => e.type !== 'FieldValueTypeInvalid');
  if (others.length > 0)
    throw invalid({ group: info.group, kind: info.kind }, obj.metadata?.name ?? '', others);
  const problems = [
    ...unknownFields.map((f) => `unknown field "${f}"`),
    ...duplicates.map((f) => `duplicate field "${f}"`),
  ];
  if (problems.length === 0 || mode === 'Ignore') return [];
  if (mode === 'Strict') throw badRequest(`strict decoding error: ${problems.join(', ')}`);
  return problems;
}

/** Repeated keys of a body just decoded into `object` (protobuf has none to repeat). */
function findDuplicates(body: Buffer, mediaType: string, object: KubeObject): string[] {
  if (mediaType === protobufType) return [];
  const text = body.toString('utf8');
  if (mediaType !== 'application/yaml' && !jsonRepeatsKeys(text, object)) return [];
  return findDuplicateFields(text);
}

export async function decodeWrite(api: ApiRequest): Promise<DecodedWrite> {
  const { info } = api;
  const body = await readBody(api.req);
  const mediaType = mediaTypeOf(api.req);
  const expected = { apiVersion: apiVersionOf(info), kind: info.kind };
  const object = decodeObject(body, mediaType, expected) as KubeObject;
  const duplicates = findDuplicates(body, mediaType, object);
  if (object.apiVersion && object.apiVersion !== expected.apiVersion) {
    throw badRequest(
      `the API version in the data (${object.apiVersion}) does not match the expected API version (${expected.apiVersion})`,
    );
  }
  if (object.kind && object.kind !== info.kind) {
    throw badRequest(`the kind in the data (${object.kind}) does not match the expected kind (${info.kind})`);
  }
  object.apiVersion = expected.apiVersion;
  object.kind = info.kind;
  return { object, warnings: checkSchema(api, object, duplicates) };
}
