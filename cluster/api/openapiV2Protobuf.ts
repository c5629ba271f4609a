// `/openapi/v2` in protobuf (gnostic openapi.v2.Document), which kubectl downloads only to validate
// kinds that /openapi/v3 lacks. We serve a document with no definitions: kubectl then skips client
// validation of such kinds (as it does for any kind the document lacks) and reports the real
// problem, e.g. `no matches for kind "Frobnicator" in version "v1"`.
// Field numbers: https://github.com/google/gnostic/blob/main/openapiv2/OpenAPIv2.proto

import protobuf from 'protobufjs';
import { versionInfo } from './handlers/discoveryHandlers';

/** Clients ask for `application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, a type Go's mime parser
 * rejects in a reply, so the document goes out as kube-openapi sends it: as octet-stream. */
export const openapiV2ProtobufType = 'application/octet-stream';

let encoded: Buffer | undefined;

export function openapiV2Protobuf(): Buffer {
  if (!encoded) {
    // Info { title = 1; version = 2 }
    const info = protobuf.Writer.create()
      .uint32(0x0a)
      .string('Kubernetes')
      .uint32(0x12)
      .string(versionInfo.gitVersion)
      .finish();
    // Document { swagger = 1; info = 2 }
    const doc = protobuf.Writer.create().uint32(0x0a).string('2.0').uint32(0x12).bytes(info).finish();
    encoded = Buffer.from(doc);
  }
  return encoded;
}
