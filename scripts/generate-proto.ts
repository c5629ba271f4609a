// Builds cluster/api/generated/kubernetesProto.ts from ../shared/kubernetes-proto: the protobufjs
// descriptor (Root.toJSON) of the served group-versions plus their JSON mapping rules.
// Run: npx tsx scripts/generate-proto.ts
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import protobuf from 'protobufjs';
import type { FieldMapping, ProtoBundle } from '../cluster/api/codec/protoBundle';
import { metaV1Package, protoFileFor, protoPackageFor } from '../cluster/api/codec/protoPackage';
import { renderCompressedModule } from './generatedModule';
import { servedGroupVersions, sharedDir } from './servedGroups';

export const protoModulePath = new URL('../cluster/api/generated/kubernetesProto.ts', import.meta.url)
  .pathname;

export function buildProtoBundle(shared = sharedDir()): ProtoBundle {
  const protoDir = join(shared, 'kubernetes-proto');
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(protoDir, target);
  const files = servedGroupVersions
    .map(({ group, version }) => protoFileFor(protoPackageFor(group ? `${group}/${version}` : version)))
    .concat(protoFileFor(metaV1Package))
    .filter((file) => existsSync(join(protoDir, file)));
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  const mapping = JSON.parse(readFileSync(join(protoDir, 'json-mapping.json'), 'utf8')) as {
    messages: Record<string, Record<string, FieldMapping>>;
  };
  const messages: ProtoBundle['messages'] = {};
  for (const [name, fields] of Object.entries(mapping.messages)) {
    if (root.lookup(name)) messages[name] = fields;
  }
  const descriptor = root.toJSON({ keepComments: false });
  return { descriptor: descriptor.nested ? { nested: descriptor.nested } : {}, messages };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(
    protoModulePath,
    renderCompressedModule({
      source: '../shared/kubernetes-proto',
      generator: 'scripts/generate-proto.ts',
      data: buildProtoBundle(),
    }),
  );
}
