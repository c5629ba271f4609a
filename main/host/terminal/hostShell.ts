import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { basename } from 'node:path';
import * as pty from 'node-pty';
import { dataPaths } from '../../../cluster/dataDir';
import { signalSession } from './sessionSignals';
import { findOnPath, prepareShellTools, type ShellTools } from './shellTools';
import type { SpawnedTerminal, TerminalProcess } from './terminalProcess';

// A shell on this computer in a pseudo-terminal, set up for this cluster: KUBECONFIG points at the
// installation's kubeconfig (even before the cluster first wrote it), kubectl and kubedesk are on
// PATH, and it starts in the user's home.

export interface HostShellOptions {
  dataDir: string;
  appRoot: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  platform?: NodeJS.Platform;
}

const isExecutable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The user's shell: `$SHELL`, else bash, else sh; PowerShell on Windows. */
export function chooseShell(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  executable: (file: string) => boolean = isExecutable,
): string {
  if (platform === 'win32')
    return findOnPath('pwsh', env.PATH ?? env.Path ?? '', platform) ?? 'powershell.exe';
  const candidates = [env.SHELL, '/bin/bash', '/usr/bin/bash', '/bin/sh'];
  return candidates.find((file): file is string => !!file && executable(file)) ?? '/bin/sh';
}

export function hostShellEnv(options: HostShellOptions, tools: ShellTools): NodeJS.ProcessEnv {
  const env = { ...(options.env ?? process.env) };
  delete env.Path;
  return {
    ...env,
    PATH: tools.path,
    KUBECONFIG: dataPaths(options.dataDir).kubeconfig,
    TERM: 'xterm-256color',
    COLORTERM: 'truecolor',
    TERM_PROGRAM: 'Kubedesk',
  };
}

export interface PtyOptions {
  cols: number;
  rows: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Runs `file` in a new pseudo-terminal, its output as raw bytes. */
export function spawnPty(file: string, args: string[], options: PtyOptions): TerminalProcess {
  const term = pty.spawn(file, args, { name: 'xterm-256color', encoding: null, ...options });
  // The pty's session holds everything the shell started; Windows has no sessions to signal.
  const signal = (name: NodeJS.Signals) =>
    process.platform === 'win32' ? term.kill() : signalSession(term.pid, name);
  return {
    pid: term.pid,
    onData: (listener) => {
      // With `encoding: null` node-pty hands out Buffers, whatever its typings say.
      term.onData((data) => listener(data as unknown as Buffer));
    },
    onExit: (listener) => {
      term.onExit(({ exitCode, signal }) => listener({ exitCode, ...(signal ? { signal } : {}) }));
    },
    write: (data) => term.write(data),
    resize: (cols, rows) => term.resize(cols, rows),
    pause: () => term.pause(),
    resume: () => term.resume(),
    hangUp: () => signal('SIGHUP'),
    kill: () => signal('SIGKILL'),
  };
}

/** Returns the function that opens one host shell; the tools on PATH are prepared once. */
export function hostShellSpawner(options: HostShellOptions) {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  let tools: Promise<ShellTools> | undefined;
  return async (size: { cols: number; rows: number }): Promise<SpawnedTerminal> => {
    tools ??= prepareShellTools({
      dataDir: options.dataDir,
      appRoot: options.appRoot,
      path: env.PATH ?? env.Path ?? '',
      platform,
    });
    const prepared = await tools.catch((err: unknown) => {
      tools = undefined;
      throw err;
    });
    const shell = chooseShell(env, platform);
    const terminal = spawnPty(shell, [], {
      cols: size.cols,
      rows: size.rows,
      cwd: options.home ?? homedir(),
      env: hostShellEnv(options, prepared),
    });
    return { process: terminal, title: basename(shell), notices: prepared.notices };
  };
}
