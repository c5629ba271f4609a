import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pack } from 'tar-fs';
import { appRoot } from '../appRoot';
import { readDebianMirror } from './debianMirror';
import { runHostCommand } from './hostCommand';
import { labelKeys, roles } from './labels';
import { isConflict } from './providers/engineErrors';
import type { NodeProvider } from './providers/nodeProvider';

// The node image, built on this machine and cached by content: the tag is a hash of the recipe's
// files and parameters, so an image is rebuilt only when its recipe changes.

export type NodeImageSource = 'online' | 'offline';

export const nodeImageRepository = 'kubedesk-node';
export const defaultNodeImageDir = join(appRoot, 'resources', 'node-image');

const sharedFiles = ['entrypoint.sh', 'kubedesk-agent.sh'];

const recipes = {
  online: { files: ['Dockerfile', ...sharedFiles], parameters: {} },
  offline: {
    files: ['build-rootfs.sh', ...sharedFiles],
    parameters: {
      // `docker import` starts from an empty config: entrypoint and environment come from here.
      changes: [
        'ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/kubedesk-node-entrypoint"]',
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'VOLUME /var/lib/docker',
      ],
    },
  },
} as const;

export interface NodeImageRecipe {
  source: NodeImageSource;
  hash: string;
  tag: string;
  labels: Record<string, string>;
}

export async function nodeImageRecipe(
  source: NodeImageSource,
  dir = defaultNodeImageDir,
): Promise<NodeImageRecipe> {
  const recipe = recipes[source];
  const hash = createHash('sha256').update(JSON.stringify({ source, parameters: recipe.parameters }));
  for (const file of recipe.files) {
    hash.update(`\0${file}\0`);
    hash.update(await readFile(join(dir, file)));
  }
  const digest = hash.digest('hex');
  return {
    source,
    hash: digest,
    tag: `${nodeImageRepository}:${digest.slice(0, 12)}`,
    labels: { [labelKeys.role]: roles.nodeImage, [labelKeys.recipe]: digest },
  };
}

/** True when a container registry answers quickly; any HTTP answer counts, a timeout or DNS failure does not. */
export async function probeRegistry(options: { url?: string; timeoutMs?: number } = {}): Promise<boolean> {
  try {
    await fetch(options.url ?? 'https://registry-1.docker.io/v2/', {
      method: 'HEAD',
      signal: AbortSignal.timeout(options.timeoutMs ?? 1500),
    });
    return true;
  } catch {
    return false;
  }
}

export interface EnsureNodeImageOptions {
  provider: NodeProvider;
  dir?: string;
  /** Which recipe to build when no image is cached; default `auto` (online only if a registry answers). */
  source?: NodeImageSource | 'auto';
  registryReachable?: () => Promise<boolean>;
  /** Builds the offline root filesystem into `target`; default runs build-rootfs.sh (debootstrap). */
  buildRootfs?: (
    target: string,
    options: { onLine: (line: string) => void; signal?: AbortSignal },
  ) => Promise<void>;
  /** Progress while building: the current phase, and bytes imported. */
  report?: (update: { bytes?: number; detail?: string }) => void;
  signal?: AbortSignal;
}

export interface NodeImage {
  tag: string;
  source: NodeImageSource;
  /** False when the image was already there. */
  built: boolean;
}

const sourceFromEnv = (): NodeImageSource | 'auto' => {
  const value = process.env.KUBEDESK_NODE_IMAGE_SOURCE;
  return value === 'online' || value === 'offline' ? value : 'auto';
};

/** Returns the node image for the current recipes, building it only when no cached one exists. */
export async function ensureNodeImage(options: EnsureNodeImageOptions): Promise<NodeImage> {
  const { provider, dir = defaultNodeImageDir } = options;
  const online = await nodeImageRecipe('online', dir);
  const offline = await nodeImageRecipe('offline', dir);
  for (const recipe of [online, offline]) {
    if (await provider.inspectImage(recipe.tag))
      return { tag: recipe.tag, source: recipe.source, built: false };
  }
  const requested = options.source ?? sourceFromEnv();
  const useOnline =
    requested === 'online' ||
    (requested === 'auto' && (await (options.registryReachable ?? probeRegistry)()));
  let recipe = offline;
  if (useOnline) {
    try {
      await buildOnline(online, options);
      recipe = online;
    } catch (err) {
      if (requested === 'online') throw err;
      options.report?.({ detail: `online build failed, building offline: ${(err as Error).message}` });
    }
  }
  if (recipe === offline) await buildOffline(offline, options);
  await removeStaleNodeImages(provider, recipe.tag);
  return { tag: recipe.tag, source: recipe.source, built: true };
}

/** Node images of older recipes take ~450 MB each; remove those no node container still uses. */
export async function removeStaleNodeImages(provider: NodeProvider, keepTag: string): Promise<string[]> {
  const removed: string[] = [];
  for (const image of await provider.listImages(`${labelKeys.role}=${roles.nodeImage}`)) {
    for (const tag of image.tags.filter((t) => t !== keepTag && t.startsWith(`${nodeImageRepository}:`))) {
      try {
        await provider.removeImage(tag);
        removed.push(tag);
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
  }
  return removed;
}

async function buildOnline(recipe: NodeImageRecipe, options: EnsureNodeImageOptions): Promise<void> {
  options.report?.({ detail: 'building from Dockerfile' });
  // tar-fs packs with streamx, whose readable pipes like a Node stream but lacks a few legacy methods.
  const context = pack(options.dir ?? defaultNodeImageDir, {
    entries: [...recipes.online.files],
  }) as unknown as NodeJS.ReadableStream;
  await options.provider.buildImage(context, {
    tag: recipe.tag,
    labels: recipe.labels,
    onOutput: (line) => options.report?.({ detail: line }),
  });
}

const defaultBuildRootfs: NonNullable<EnsureNodeImageOptions['buildRootfs']> = async (
  target,
  { onLine, signal },
) => {
  const mirror = process.env.KUBEDESK_DEBIAN_MIRROR ?? (await readDebianMirror());
  await runHostCommand(['sh', join(defaultNodeImageDir, 'build-rootfs.sh'), target, mirror], {
    onLine,
    signal,
  });
};

async function buildOffline(recipe: NodeImageRecipe, options: EnsureNodeImageOptions): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'kubedesk-node-rootfs-'));
  try {
    const target = join(work, 'rootfs');
    options.report?.({ detail: 'debootstrap' });
    let lastLine = 0;
    await (options.buildRootfs ?? defaultBuildRootfs)(target, {
      signal: options.signal,
      onLine: (line) => {
        // debootstrap prints a line per package; a note per second is plenty for a progress bar.
        if (Date.now() - lastLine < 1000) return;
        lastLine = Date.now();
        options.report?.({ detail: line });
      },
    });
    options.report?.({ detail: 'docker import' });
    const tar = spawn('tar', ['-C', target, '-c', '.'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
    });
    const tarExit = new Promise<number>((resolve, reject) => {
      tar.on('error', reject);
      tar.on('close', (code) => resolve(code ?? 1));
    });
    let bytes = 0;
    let lastReport = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes - lastReport >= 16 * 1024 * 1024) {
          lastReport = bytes;
          options.report?.({ bytes });
        }
        done(null, chunk);
      },
    });
    const changes = [
      ...recipes.offline.parameters.changes,
      ...Object.entries(recipe.labels).map(([key, value]) => `LABEL ${key}=${value}`),
    ];
    await options.provider.importImage(tar.stdout.pipe(counter), { tag: recipe.tag, changes });
    const tarCode = await tarExit;
    if (tarCode !== 0) throw new Error(`tar -C ${target} -c . exited with ${tarCode}`);
    options.report?.({ bytes });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
