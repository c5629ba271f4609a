// Serves the official Kubernetes v1.35 OpenAPI documents for the served groups, from the data that
// scripts/generate-openapi.ts packed into cluster/api/generated/.
import { createHash } from 'node:crypto';
import { packed as packedV2 } from '../generated/openapiV2';
import { packed as packedV3 } from '../generated/openapiV3';
import { unpack } from '../generated/unpack';

interface V3Document {
  bytes: Buffer;
  hash: string;
}

let v3: Map<string, V3Document> | undefined;
let v2: Buffer | undefined;

function v3Documents(): Map<string, V3Document> {
  if (!v3) {
    const texts = unpack(packedV3) as Record<string, string>;
    v3 = new Map(
      Object.entries(texts).map(([path, text]) => {
        const bytes = Buffer.from(text, 'utf8');
        // kube-apiserver uses the upper-case hex SHA-512 of the document as its hash and ETag.
        return [path, { bytes, hash: createHash('sha512').update(bytes).digest('hex').toUpperCase() }];
      }),
    );
  }
  return v3;
}

/** Body of `GET /openapi/v3`. */
export function openapiV3Index(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, doc] of v3Documents()) {
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` };
  }
  return { paths };
}

/** JSON bytes of `GET /openapi/v3/<path>` (path like `apis/apps/v1`), or undefined if not served. */
export function openapiV3Document(path: string): Buffer | undefined {
  return v3Documents().get(stripSlashes(path))?.bytes;
}

/** The content hash of a v3 document: the `?hash=` value and the ETag. */
export function openapiV3DocumentHash(path: string): string | undefined {
  return v3Documents().get(stripSlashes(path))?.hash;
}

/** The served v3 document paths (`api/v1`, `apis/apps/v1`, ...). */
export function openapiV3Paths(): string[] {
  return [...v3Documents().keys()];
}

/**
 * JSON bytes of `GET /openapi/v2`. Only JSON is available: the protobuf form
 * (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`) is not produced, so answer 406
 * to requests that accept nothing else. kubectl 1.35 does not need it: our v3 documents advertise
 * `fieldValidation` on PATCH, so it leaves validation to the server.
 */
export function openapiV2Json(): Buffer {
  v2 ??= Buffer.from(unpack(packedV2) as string, 'utf8');
  return v2;
}

function stripSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
