import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import type { WebSocket } from 'ws';
import { orderedResize } from './orderedResize';
import { channel, errorStatus, exitStatus, frame, parseResize, type TerminalSize } from './streamProtocol';

// exec and attach over a remotecommand WebSocket (v5/v4.channel.k8s.io), bridged to a hijacked
// Docker exec or attach stream.

export interface StreamFlags {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function parseStreamFlags(params: URLSearchParams): StreamFlags {
  const flag = (name: string) => params.get(name) === 'true' || params.get(name) === '1';
  return { stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr'), tty: flag('tty') };
}

const channelWriter = (ws: WebSocket, ch: number) =>
  new Writable({
    write(chunk: Buffer, _enc, done) {
      if (ws.readyState === ws.OPEN) ws.send(frame(ch, chunk), done);
      else done();
    },
  });

function pipeOutput(docker: Docker, ws: WebSocket, stream: NodeJS.ReadableStream, flags: StreamFlags): void {
  if (flags.tty) stream.pipe(channelWriter(ws, channel.stdout));
  else docker.modem.demuxStream(stream, channelWriter(ws, channel.stdout), channelWriter(ws, channel.stderr));
}

/**
 * The client's messages, held from the upgrade on: kubectl sends stdin (and its close signal) at
 * once, before the Docker exec or attach stream exists.
 */
function clientInput(ws: WebSocket) {
  const queued: Buffer[] = [];
  let closed = false;
  let deliver: ((data: Buffer) => void) | undefined;
  let onClose: (() => void) | undefined;
  ws.on('message', (data: Buffer) => (deliver ? deliver(data) : queued.push(data)));
  ws.on('close', () => {
    closed = true;
    onClose?.();
  });
  return (handlers: { message(data: Buffer): void; close(): void }) => {
    deliver = handlers.message;
    onClose = handlers.close;
    for (const data of queued.splice(0)) deliver(data);
    if (closed) onClose();
  };
}

type ClientInput = ReturnType<typeof clientInput>;

function pipeInput(
  input: ClientInput,
  stream: NodeJS.ReadWriteStream,
  resize: (size: TerminalSize) => void,
): void {
  input({
    message(data) {
      const ch = data[0];
      const body = data.subarray(1);
      if (ch === channel.stdin) stream.write(body);
      else if (ch === channel.resize) {
        const size = parseResize(body);
        if (size) resize(size);
      } else if (ch === channel.close && body[0] === channel.stdin) stream.end();
    },
    close: () => stream.end(),
  });
}

const finish = (ws: WebSocket, status: string) => {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(frame(channel.status, status), () => ws.close(1000));
};

export async function runExec(
  docker: Docker,
  ws: WebSocket,
  containerId: string,
  command: string[],
  flags: StreamFlags,
): Promise<void> {
  const input = clientInput(ws);
  try {
    const exec = await docker.getContainer(containerId).exec({
      Cmd: command,
      AttachStdin: flags.stdin,
      AttachStdout: flags.stdout,
      AttachStderr: flags.stderr,
      Tty: flags.tty,
    });
    const stream = (await exec.start({
      hijack: true,
      stdin: flags.stdin,
      Tty: flags.tty,
    })) as NodeJS.ReadWriteStream;
    pipeOutput(docker, ws, stream, flags);
    if (flags.stdin || flags.tty)
      pipeInput(
        input,
        stream,
        orderedResize((s) => exec.resize({ w: s.Width, h: s.Height })),
      );
    await new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
    });
    const { ExitCode } = await exec.inspect();
    finish(ws, exitStatus(ExitCode ?? 1));
  } catch (err) {
    finish(ws, errorStatus((err as Error).message));
  }
}

export async function runAttach(
  docker: Docker,
  ws: WebSocket,
  containerId: string,
  flags: StreamFlags,
): Promise<void> {
  const input = clientInput(ws);
  try {
    const container = docker.getContainer(containerId);
    const stream = (await container.attach({
      stream: true,
      stdin: flags.stdin,
      stdout: flags.stdout,
      stderr: flags.stderr,
      hijack: true,
    })) as NodeJS.ReadWriteStream;
    pipeOutput(docker, ws, stream, flags);
    if (flags.stdin)
      pipeInput(
        input,
        stream,
        orderedResize((s) => container.resize({ w: s.Width, h: s.Height })),
      );
    await new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
    });
    const state = await container.inspect();
    finish(ws, exitStatus(state.State.Running ? 0 : state.State.ExitCode));
  } catch (err) {
    finish(ws, errorStatus((err as Error).message));
  }
}
