// Adding our cluster to the user's own kubeconfig, the way `kubectl config set-*` would: only the
// named cluster/user/context stanzas change, everything else in the file (other clusters, comments,
// preferences) is kept, and a file we cannot parse is never overwritten.
import { existsSync } from 'node:fs';
import { mkdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { writeFileAtomic } from '../pki/atomicWrite';
import type { KubeconfigEntry } from './buildKubeconfig';

/** A kubeconfig file that exists but cannot be safely edited; the message names the file. */
export class KubeconfigFileError extends Error {
  override name = 'KubeconfigFileError';
}

/**
 * The file kubectl itself would write to: with $KUBECONFIG set, its only entry, else the first
 * entry that exists, else the last (client-go `PathOptions.GetDefaultFilename`); otherwise
 * `~/.kube/config`.
 */
export function resolveUserKubeconfigPath(env: NodeJS.ProcessEnv, home: string): string {
  const entries = [...new Set((env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== ''))];
  if (entries.length === 1) return entries[0] as string;
  if (entries.length > 1)
    return entries.find((p) => existsSync(p)) ?? (entries[entries.length - 1] as string);
  return join(home, '.kube', 'config');
}

const sections = [
  ['clusters', 'cluster'],
  ['users', 'user'],
  ['contexts', 'context'],
] as const;

/**
 * Serializes edits with kubectl, which holds `<file>.lock` (created exclusively) while it writes
 * (client-go `clientcmd/loader.go` lockFile).
 */
async function withFileLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(lock, '', { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 50) {
        throw new KubeconfigFileError(`${path}: cannot lock ${lock}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

interface LoadedFile {
  /** The real file behind any symlink, so replacing it keeps the link. */
  path: string;
  doc: Document;
  mode: number;
  existed: boolean;
  /** JSON kubeconfigs (valid YAML too) are written back as JSON, which cannot hold comments anyway. */
  json: boolean;
}

const emptyKubeconfig = () => parseDocument('apiVersion: v1\nkind: Config\n');

async function loadKubeconfig(userPath: string): Promise<LoadedFile> {
  let text: string;
  let path = userPath;
  let mode = 0o600;
  try {
    path = await realpath(userPath);
    text = await readFile(path, 'utf8');
    mode = (await stat(path)).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return { path: userPath, doc: emptyKubeconfig(), mode, existed: false, json: false };
  }
  if (text.trim() === '') {
    return { path, doc: emptyKubeconfig(), mode, existed: true, json: false };
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new KubeconfigFileError(
      `${path} is not valid YAML (${doc.errors[0]?.message.split('\n')[0]}); it was left unchanged`,
    );
  }
  if (!isMap(doc.contents)) {
    throw new KubeconfigFileError(
      `${path} is not a kubeconfig (its top level is not a mapping); it was left unchanged`,
    );
  }
  for (const [section] of sections) {
    const value = doc.get(section, true);
    if (value !== undefined && value !== null && !isSeq(value) && !isScalarNull(value)) {
      throw new KubeconfigFileError(`${path}: "${section}" is not a list; it was left unchanged`);
    }
  }
  return { path, doc, mode, existed: true, json: text.trimStart().startsWith('{') };
}

// `clusters:` with nothing after it.
const isScalarNull = (node: unknown) => isScalar(node) && node.value === null;

function nameOf(item: unknown): unknown {
  return isMap(item) ? item.get('name') : undefined;
}

async function save(file: LoadedFile): Promise<void> {
  await mkdir(dirname(file.path), { recursive: true, mode: 0o700 });
  const text = file.json ? `${JSON.stringify(file.doc.toJS(), null, 2)}\n` : file.doc.toString();
  await writeFileAtomic(file.path, text, file.existed ? file.mode : 0o600);
}

export interface MergeOptions {
  userPath: string;
  entry: KubeconfigEntry;
  /** When to make this entry the current context. */
  switchContext: 'always' | 'never' | 'ifUnset';
}

/** Adds or replaces the entry's cluster, user and context in the user's kubeconfig. */
export async function mergeIntoUserKubeconfig(opts: MergeOptions): Promise<void> {
  await mkdir(dirname(opts.userPath), { recursive: true, mode: 0o700 });
  await withFileLock(opts.userPath, async () => {
    const file = await loadKubeconfig(opts.userPath);
    const { doc } = file;
    const { name } = opts.entry;
    for (const [section, key] of sections) {
      const stanza = doc.createNode({ name, [key]: opts.entry[key] });
      const list = doc.get(section, true);
      if (!isSeq(list)) {
        doc.set(section, doc.createNode([stanza]));
        continue;
      }
      const index = list.items.findIndex((item) => nameOf(item) === name);
      if (index >= 0) list.items[index] = stanza;
      else list.items.push(stanza);
    }
    const current = doc.get('current-context');
    if (opts.switchContext === 'always' || (opts.switchContext === 'ifUnset' && !current)) {
      doc.set('current-context', name);
    }
    await save(file);
  });
}

export interface RemoveOptions {
  userPath: string;
  /** Defaults to `kubedesk`. */
  name?: string;
}

/** Removes the named cluster, user and context; unsets current-context if it pointed at them. */
export async function removeFromUserKubeconfig(opts: RemoveOptions): Promise<void> {
  const name = opts.name ?? 'kubedesk';
  if (!existsSync(opts.userPath)) return;
  await withFileLock(opts.userPath, async () => {
    const file = await loadKubeconfig(opts.userPath);
    const { doc } = file;
    let changed = false;
    for (const [section] of sections) {
      const list = doc.get(section, true);
      if (!isSeq(list)) continue;
      const kept = list.items.filter((item) => nameOf(item) !== name);
      if (kept.length !== list.items.length) {
        list.items = kept;
        changed = true;
      }
    }
    if (doc.get('current-context') === name) {
      (doc.contents as YAMLMap).delete('current-context');
      changed = true;
    }
    if (changed) await save(file);
  });
}
