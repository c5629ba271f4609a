import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { versionInfo } from '../../../cluster/api/handlers/discoveryHandlers';
import { bundledTools } from './bundledTools';

// What a host shell finds on PATH: `kubedesk` (a wrapper bound to this installation), a kubectl
// that works with this cluster, and helm. The user's own tools win unless they cannot work here.

const run = promisify(execFile);

export interface ShellToolsOptions {
  dataDir: string;
  /** The checkout or installed app holding `bin/kubedesk.mjs`. */
  appRoot: string;
  /** The PATH the shell would otherwise get. */
  path: string;
  platform?: NodeJS.Platform;
}

export interface ShellTools {
  /** PATH for the shell. */
  path: string;
  kubectl?: { path: string; source: 'user' | 'bundled' };
  /** What the person at the terminal should know, e.g. why no kubectl is available. */
  notices: string[];
}

const pathSeparator = (platform: NodeJS.Platform) => (platform === 'win32' ? ';' : ':');

export function findOnPath(
  name: string,
  path: string,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const names = platform === 'win32' ? ['.exe', '.cmd', '.bat'].map((ext) => name + ext) : [name];
  for (const dir of path.split(pathSeparator(platform))) {
    for (const candidate of names) {
      const file = join(dir || '.', candidate);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // Not here; try the next PATH entry.
      }
    }
  }
  return undefined;
}

/** kubectl's client minor version (`32` for v1.32.4), or undefined when it does not answer. */
export async function kubectlClientMinor(kubectl: string): Promise<number | undefined> {
  try {
    const { stdout } = await run(kubectl, ['version', '--client', '-o', 'json'], { timeout: 15_000 });
    const minor = Number.parseInt(JSON.parse(stdout).clientVersion?.minor ?? '', 10);
    return Number.isNaN(minor) ? undefined : minor;
  } catch {
    return undefined;
  }
}

/** kubectl works with an API server one minor version older or newer than itself. */
// https://kubernetes.io/releases/version-skew-policy/#kubectl
export function kubectlSkewSupported(clientMinor: number): boolean {
  return Math.abs(clientMinor - Number(versionInfo.minor)) <= 1;
}

const quoteSh = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/** Writes `kubedesk` into `binDir`, running this app's command line against this installation. */
export async function writeKubedeskWrapper(binDir: string, options: ShellToolsOptions): Promise<void> {
  await mkdir(binDir, { recursive: true });
  const cli = join(options.appRoot, 'bin', 'kubedesk.mjs');
  // Inside Electron, process.execPath is the Electron binary, which acts as node only when told to.
  const asNode = process.versions.electron ? 'ELECTRON_RUN_AS_NODE=1 ' : '';
  if ((options.platform ?? process.platform) === 'win32') {
    const setAsNode = asNode ? 'set ELECTRON_RUN_AS_NODE=1\r\n' : '';
    const script = `@echo off\r\n${setAsNode}"${process.execPath}" "${cli}" --data-dir "${options.dataDir}" %*\r\n`;
    await writeFile(join(binDir, 'kubedesk.cmd'), script);
    return;
  }
  const script = `#!/bin/sh\n${asNode}exec ${quoteSh(process.execPath)} ${quoteSh(cli)} --data-dir ${quoteSh(options.dataDir)} "$@"\n`;
  await writeFile(join(binDir, 'kubedesk'), script, { mode: 0o755 });
}

export async function prepareShellTools(options: ShellToolsOptions): Promise<ShellTools> {
  const platform = options.platform ?? process.platform;
  const toolsDir = join(options.dataDir, 'tools');
  const binDir = join(toolsDir, 'bin');
  await writeKubedeskWrapper(binDir, options);

  const notices: string[] = [];
  const before: string[] = [binDir];
  const after: string[] = [];
  const userKubectl = findOnPath('kubectl', options.path, platform);
  const userMinor = userKubectl ? await kubectlClientMinor(userKubectl) : undefined;
  const userKubectlFits =
    userKubectl !== undefined && userMinor !== undefined && kubectlSkewSupported(userMinor);
  const userHelm = findOnPath('helm', options.path, platform);

  let kubectl: ShellTools['kubectl'] = userKubectlFits ? { path: userKubectl, source: 'user' } : undefined;
  if (!userKubectlFits || !userHelm) {
    const bundled = await bundledTools(toolsDir);
    if ('problem' in bundled) {
      // A missing helm goes unmentioned; a kubectl that cannot work here does not.
      if (userKubectl && !userKubectlFits) {
        kubectl = { path: userKubectl, source: 'user' };
        notices.push(
          `your kubectl (${userKubectl}) may not work with this cluster (Kubernetes 1.${versionInfo.minor}), and ${bundled.problem}`,
        );
      } else if (!userKubectl) {
        notices.push(`kubectl is not available: none is on your PATH and ${bundled.problem}`);
      }
    } else {
      if (!userKubectlFits) {
        kubectl = { path: bundled.kubectl, source: 'bundled' };
        before.push(dirname(bundled.kubectl));
      }
      // Last on PATH, so a helm the user installs later still wins.
      if (!userHelm) after.push(dirname(bundled.helm));
    }
  }
  if (kubectl?.source === 'bundled' && userKubectl) {
    const why =
      userMinor === undefined
        ? 'did not report its version'
        : `is v1.${userMinor}, outside the version skew Kubernetes 1.${versionInfo.minor} supports`;
    notices.push(`kubectl here is the bundled v1.${versionInfo.minor}: yours (${userKubectl}) ${why}`);
  }
  const separator = pathSeparator(platform);
  const path = [...before, ...options.path.split(separator).filter(Boolean), ...after].join(separator);
  return { path, kubectl, notices };
}
