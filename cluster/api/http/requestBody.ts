// Reads and decodes request bodies: JSON, YAML (apply patches) and Kubernetes protobuf, with the
// 3 MiB limit kube-apiserver enforces. Bad input is always a 4xx, never a 500.

import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { decodeKubernetesProtobuf } from '../codec/protobuf';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../status';

const maxBodyBytes = 3 * 1024 * 1024;

export const protobufType = 'application/vnd.kubernetes.protobuf';

const bodyTypes = ['application/json', 'application/yaml', protobufType];

export function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
}

export async function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw requestEntityTooLarge(`limit is ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw requestEntityTooLarge(`limit is ${limit}`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

function parseYamlText(text: string): unknown {
  try {
    return parseYaml(text, { uniqueKeys: false });
  } catch (err) {
    throw badRequest(`error converting YAML to JSON: ${(err as Error).message}`);
  }
}

/** Decodes an object body (create, update, review requests). */
export function decodeObject(
  body: Buffer,
  mediaType: string,
  expected: { apiVersion: string; kind: string },
): Record<string, unknown> {
  let value: unknown;
  if (mediaType === protobufType) {
    try {
      value = decodeKubernetesProtobuf(body, { defaultTypeMeta: expected });
    } catch (err) {
      throw badRequest(`failed to decode protobuf body: ${(err as Error).message}`);
    }
  } else if (mediaType === 'application/json' || mediaType === '') {
    value = parseJson(body.toString('utf8'));
  } else if (mediaType === 'application/yaml') {
    value = parseYamlText(body.toString('utf8'));
  } else {
    throw unsupportedMediaType(mediaType, bodyTypes);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`Object '${expected.kind}' is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Decodes a JSON (or, for apply, YAML) patch document. */
export function decodePatchBody(body: Buffer, patchType: string): unknown {
  const text = body.toString('utf8');
  return patchType === 'application/apply-patch+yaml' ? parseYamlText(text) : parseJson(text);
}
