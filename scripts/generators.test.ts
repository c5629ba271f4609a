// The committed files in cluster/api/generated/ must equal what the generators produce from ../shared.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packed as proto } from '../cluster/api/generated/kubernetesProto';
import { packed as v2 } from '../cluster/api/generated/openapiV2';
import { packed as v3 } from '../cluster/api/generated/openapiV3';
import { unpack } from '../cluster/api/generated/unpack';
import { buildOpenapiV2, buildOpenapiV3 } from './generate-openapi';
import { buildProtoBundle } from './generate-proto';
import { sharedDir } from './servedGroups';

const hint = 'regenerate with `npx tsx scripts/generate-openapi.ts` / `npx tsx scripts/generate-proto.ts`';

describe.skipIf(!existsSync(join(sharedDir(), 'kubernetes-openapi')))('generated data is up to date', () => {
  it('openapiV3.ts matches ../shared/kubernetes-openapi/v3', () => {
    expect(unpack(v3), hint).toEqual(buildOpenapiV3());
  });
  it('openapiV2.ts matches ../shared/kubernetes-openapi/v2', () => {
    expect(unpack(v2), hint).toEqual(buildOpenapiV2());
  });
  it('kubernetesProto.ts matches ../shared/kubernetes-proto', () => {
    expect(unpack(proto), hint).toEqual(JSON.parse(JSON.stringify(buildProtoBundle())));
  });
});
