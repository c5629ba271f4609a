import { randomUUID } from 'node:crypto';
import type Docker from 'dockerode';
import type { Logger } from '../../../cluster/log';
import { labelKeys, roles } from '../../../cluster/provisioner/labels';
import { signalTaggedCommand, taggedShellCommand } from './taggedShell';
import type { SpawnedTerminal, TerminalExit, TerminalProcess } from './terminalProcess';

// A shell inside a node container, through the Docker engine (a `docker exec -it`). dockerode is
// loaded on the first node shell only: host shells and the app's start never pay for it.

export interface NodeShellOptions {
  /** The installation's cluster; only its node containers are reachable. */
  cluster: string;
  log: Logger;
  /** The engine running the nodes; see `lazyDockerEngine`. */
  docker: () => Promise<Docker>;
}

export interface NodeShellRequest {
  node: string;
  cols: number;
  rows: number;
}

/** The local Docker engine (DOCKER_HOST and the like honoured), connected on first use. */
export function lazyDockerEngine(): () => Promise<Docker> {
  let engine: Promise<Docker> | undefined;
  return () => {
    engine ??= import('dockerode').then(({ default: Dockerode }) => new Dockerode());
    return engine;
  };
}

/** The running node container named `node` of `cluster`. */
export async function findNodeContainer(docker: Docker, cluster: string, node: string): Promise<string> {
  const containers = await docker.listContainers({
    filters: { label: [`${labelKeys.cluster}=${cluster}`, `${labelKeys.role}=${roles.node}`] },
  });
  const found = containers.find((c) => c.Names.includes(`/${node}`));
  if (!found) {
    const running = containers.flatMap((c) => c.Names.map((n) => n.slice(1)));
    throw new Error(
      `node ${node} has no running container in cluster ${cluster}${running.length ? ` (running: ${running.join(', ')})` : ''}`,
    );
  }
  return found.Id;
}

async function runToEnd(container: Docker.Container, command: string[]): Promise<void> {
  const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const output = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
  await new Promise<void>((resolve) => {
    output.on('end', resolve);
    output.on('close', resolve);
    output.on('error', () => resolve());
    output.resume();
  });
}

/** The exec's exit code; the engine may report it a moment after the stream ended. */
async function exitCode(exec: Docker.Exec): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const info = await exec.inspect().catch(() => undefined);
    if (!info) break;
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return 1;
}

export function nodeShellSpawner(options: NodeShellOptions) {
  return async (request: NodeShellRequest): Promise<SpawnedTerminal> => {
    const docker = await options.docker();
    const container = docker.getContainer(await findNodeContainer(docker, options.cluster, request.node));
    const tag = randomUUID();
    const log = options.log.child({ node: request.node });
    const exec = await container.exec({
      Cmd: taggedShellCommand(tag),
      Env: ['TERM=xterm-256color', 'COLORTERM=truecolor'],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
    });
    const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as NodeJS.ReadWriteStream;
    const resize = (cols: number, rows: number) =>
      void exec.resize({ w: cols, h: rows }).catch((err: Error) => {
        log.debug('resizing the node shell failed', { error: err.message });
      });
    resize(request.cols, request.rows);

    let exit: TerminalExit | undefined;
    const exitListeners: ((exit: TerminalExit) => void)[] = [];
    let ended = false;
    const onEnd = async () => {
      if (ended) return;
      ended = true;
      exit = { exitCode: await exitCode(exec) };
      for (const listener of exitListeners) listener(exit);
    };
    stream.on('end', () => void onEnd());
    stream.on('close', () => void onEnd());
    stream.on('error', () => void onEnd());

    const signal = async (name: 'HUP' | 'KILL') => {
      try {
        await runToEnd(container, signalTaggedCommand(tag, name));
      } catch (err) {
        // The node may be gone, and the shell with it.
        log.debug('signalling the node shell failed', { signal: name, error: (err as Error).message });
      }
    };
    const process: TerminalProcess = {
      onData: (listener) => stream.on('data', (data: Buffer) => listener(data)),
      onExit: (listener) => {
        if (exit) listener(exit);
        else exitListeners.push(listener);
      },
      write: (data) => void stream.write(data),
      resize,
      pause: () => stream.pause(),
      resume: () => stream.resume(),
      hangUp: () => {
        if (!exit) void signal('HUP');
      },
      // A kill also reaches what outlived the shell, such as its background jobs.
      kill: () => void signal('KILL').then(() => (stream as unknown as { destroy(): void }).destroy()),
    };
    return { process, title: request.node, notices: [] };
  };
}
