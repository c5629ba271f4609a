// Builds cluster/api/generated/openapiV3.ts and openapiV2.ts from ../shared/kubernetes-openapi: the
// official v1.35 documents, keeping only the served group-versions. Run: npx tsx scripts/generate-openapi.ts
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderCompressedModule } from './generatedModule';
import { servedGroupVersions, sharedDir } from './servedGroups';

export const openapiV3ModulePath = new URL('../cluster/api/generated/openapiV3.ts', import.meta.url).pathname;
export const openapiV2ModulePath = new URL('../cluster/api/generated/openapiV2.ts', import.meta.url).pathname;

/** The `/openapi/v3/<path>` documents we serve, e.g. `api/v1`, `apis/apps`, `apis/apps/v1`, `version`. */
export function servedV3Paths(): Set<string> {
  const paths = new Set(['api', 'apis', 'version']);
  for (const { group, version } of servedGroupVersions) {
    if (group === '') paths.add(`api/${version}`);
    else paths.add(`apis/${group}`).add(`apis/${group}/${version}`);
  }
  return paths;
}

/** Document path -> minified JSON text, for the served paths that the spec has. */
export function buildOpenapiV3(shared = sharedDir()): Record<string, string> {
  const dir = join(shared, 'kubernetes-openapi', 'v3');
  const served = servedV3Paths();
  const documents: Record<string, string> = {};
  for (const file of readdirSync(dir).sort()) {
    const path = file.replace(/_openapi\.json$/, '').replaceAll('__', '/');
    if (!file.endsWith('_openapi.json') || !served.has(path)) continue;
    documents[path] = JSON.stringify(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  }
  return documents;
}

/** swagger.json reduced to the served paths and the definitions they reach. */
export function buildOpenapiV2(shared = sharedDir()): string {
  const spec = JSON.parse(readFileSync(join(shared, 'kubernetes-openapi', 'v2', 'swagger.json'), 'utf8')) as {
    paths: Record<string, unknown>;
    definitions: Record<string, unknown>;
  };
  const served = servedV3Paths();
  const paths = Object.fromEntries(
    Object.entries(spec.paths).filter(([path]) => {
      // A path belongs to the document of its first two (api) or three (apis) segments.
      const parts = path.split('/').filter(Boolean);
      return served.has(parts.slice(0, parts[0] === 'apis' ? 3 : parts[0] === 'api' ? 2 : 1).join('/'));
    }),
  );
  const keep = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const name = value.replace('#/definitions/', '');
          if (!keep.has(name)) {
            keep.add(name);
            visit(spec.definitions[name]);
          }
        } else visit(value);
      }
    }
  };
  visit(paths);
  const definitions = Object.fromEntries(Object.entries(spec.definitions).filter(([name]) => keep.has(name)));
  return JSON.stringify({ ...spec, paths, definitions });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const source = '../shared/kubernetes-openapi';
  const generator = 'scripts/generate-openapi.ts';
  writeFileSync(openapiV3ModulePath, renderCompressedModule({ source, generator, data: buildOpenapiV3() }));
  writeFileSync(openapiV2ModulePath, renderCompressedModule({ source, generator, data: buildOpenapiV2() }));
}
