import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { appRoot } from '../appRoot';

// The background host runs from an esbuild bundle of cluster/hostMain.ts rather than through tsx:
// tsx keeps every transpiled module and its source map in memory, which costs the long-running host
// over 100 MB. The bundle is rebuilt from the checkout's sources on demand and kept under a hash of
// exactly the bytes it was built from, so a stale bundle is never run: each start re-hashes the
// files the last build read and rebuilds when any differs (a new import means an edited file).
// Packages stay external and load from node_modules as they would under tsx; dynamic imports become
// separate chunks, so what a module loads lazily stays lazy.

const entryPoint = join(appRoot, 'cluster', 'hostMain.ts');
const bundlesDir = join(appRoot, '.cache', 'host-bundles');
const latestFile = join(bundlesDir, 'latest.json');
/** Bundles no host started from for this long are removed when a new one is built (a host loads
 * its lazy chunks while it runs, so a bundle in use must stay). */
const pruneAfterMs = 7 * 24 * 3600_000;

interface BuildRecord {
  hash: string;
  /** Files the build read, relative to appRoot. */
  inputs: string[];
}

/** What the recipe below depends on besides the sources; part of every hash. */
function recipeKey(): string {
  const esbuildVersion = JSON.parse(
    readFileSync(join(appRoot, 'node_modules', 'esbuild', 'package.json'), 'utf8'),
  ).version;
  return `host-bundle/1 esbuild ${esbuildVersion} node ${process.versions.node}`;
}

function hashOf(contents: Map<string, string | Buffer>): string {
  const hash = createHash('sha256').update(recipeKey());
  for (const path of [...contents.keys()].sort()) {
    hash.update(`\0${path}\0`).update(contents.get(path) as string | Buffer);
  }
  return hash.digest('hex').slice(0, 16);
}

/** The hash of the inputs as they are now, or undefined when one is gone. */
async function currentHash(inputs: string[]): Promise<string | undefined> {
  const contents = new Map<string, Buffer>();
  try {
    for (const input of inputs) contents.set(input, await readFile(join(appRoot, input)));
  } catch {
    return undefined;
  }
  return hashOf(contents);
}

const isOwnSource = (path: string) => path.startsWith(appRoot) && !path.includes(`${sep}node_modules${sep}`);

/** Records every source the build reads, and gives each module its own `import.meta.url` (the
 * source file's, as under tsx) so paths resolved from it, like appRoot, stay right in a bundle. */
function sourceRecorder(read: Map<string, string>): Plugin {
  return {
    name: 'kubedesk-sources',
    setup(build) {
      build.onLoad({ filter: /\.(ts|tsx|json)$/ }, async (args) => {
        if (!isOwnSource(args.path)) return undefined;
        const text = await readFile(args.path, 'utf8');
        read.set(relative(appRoot, args.path), text);
        if (args.path.endsWith('.json')) return { contents: text, loader: 'json' };
        const url = JSON.stringify(pathToFileURL(args.path).href);
        return {
          contents: text.replaceAll('import.meta.url', url),
          loader: extname(args.path) === '.tsx' ? 'tsx' : 'ts',
        };
      });
    },
  };
}

/** Node's ES module loader wants the file extension in a deep import of a package without an
 * exports map (`ajv/dist/2019`); tsx adds it. Keep such imports external, completed as Node
 * resolves them for require (`ajv/dist/2019.js`, or `.../index.js` for a folder). */
function packageSubpathExtensions(): Plugin {
  return {
    name: 'kubedesk-package-subpaths',
    setup(build) {
      build.onResolve({ filter: /^(@[^/]+\/)?[^./@][^/]*\/([^/]+\/)*[^./]+$/ }, (args) => {
        let file: string;
        try {
          file = createRequire(join(args.resolveDir, 'importer.js')).resolve(args.path).split(sep).join('/');
        } catch {
          return undefined;
        }
        const marker = `/node_modules/${args.path}`;
        const at = file.lastIndexOf(marker);
        if (at < 0) return undefined;
        return { path: `${args.path}${file.slice(at + marker.length)}`, external: true };
      });
    },
  };
}

async function buildBundle(): Promise<string> {
  // esbuild is a development tool: loaded only when a checkout needs a fresh bundle.
  const { build } = await import('esbuild');
  // esbuild reads tsconfig.json itself; its options change the output, so it counts as an input.
  const read = new Map([['tsconfig.json', await readFile(join(appRoot, 'tsconfig.json'), 'utf8')]]);
  await mkdir(bundlesDir, { recursive: true });
  const temp = join(bundlesDir, `building-${process.pid}-${Date.now()}`);
  await build({
    entryPoints: { hostMain: entryPoint },
    outdir: temp,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [packageSubpathExtensions(), sourceRecorder(read)],
    logLevel: 'warning',
    legalComments: 'none',
  });
  const record: BuildRecord = { hash: hashOf(read), inputs: [...read.keys()].sort() };
  const dir = join(bundlesDir, record.hash);
  await writeFile(join(temp, 'build.json'), JSON.stringify(record));
  // Another `kubedesk start` may have built the same sources meanwhile: the first one in wins.
  await rename(temp, dir).catch(() => rm(temp, { recursive: true, force: true }));
  await writeFile(`${latestFile}.${process.pid}`, JSON.stringify(record));
  await rename(`${latestFile}.${process.pid}`, latestFile);
  await pruneOldBundles(record.hash);
  return join(dir, 'hostMain.mjs');
}

async function pruneOldBundles(keep: string): Promise<void> {
  for (const name of await readdir(bundlesDir)) {
    const path = join(bundlesDir, name);
    if (name === keep || name === 'latest.json') continue;
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory() && Date.now() - info.mtimeMs > pruneAfterMs) {
      await rm(path, { recursive: true, force: true });
    }
  }
}

/** The path of a host bundle built from the sources as they are now, building it when needed. */
export async function ensureHostBundle(): Promise<string> {
  const latest = await readFile(latestFile, 'utf8')
    .then((text) => JSON.parse(text) as BuildRecord)
    .catch(() => undefined);
  if (latest && (await currentHash(latest.inputs)) === latest.hash) {
    const dir = join(bundlesDir, latest.hash);
    const main = join(dir, 'hostMain.mjs');
    if (await stat(main).catch(() => undefined)) {
      const now = new Date();
      await utimes(dir, now, now); // marks it in use, for pruneOldBundles
      return main;
    }
  }
  return buildBundle();
}
