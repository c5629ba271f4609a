import type { ClientOptions } from 'ws';
import { WebSocket } from 'ws';
import { channel, frame, streamProtocols } from '../../../cluster/agent/kubeletApi/streamProtocol';
import type { TerminalExit, TerminalProcess } from './terminalProcess';

// The client side of kubectl's remotecommand WebSocket (v5.channel.k8s.io, v4 as a fallback): a
// pod's exec stream as a TerminalProcess. Output arrives on channels 1 and 2, the end as a Status
// on channel 3; input goes out on channel 0 and the terminal size as JSON on channel 4.

/** The exit a remotecommand Status describes (apimachinery's NonZeroExitCode convention). */
export function exitFromStatus(text: string): TerminalExit {
  let status: {
    status?: string;
    message?: string;
    reason?: string;
    details?: { causes?: { reason?: string; message?: string }[] };
  };
  try {
    status = JSON.parse(text);
  } catch {
    return { exitCode: 1, message: text };
  }
  if (status.status === 'Success') return { exitCode: 0 };
  const code = status.details?.causes?.find((cause) => cause.reason === 'ExitCode')?.message;
  if (status.reason === 'NonZeroExitCode' && code && /^\d+$/.test(code)) return { exitCode: Number(code) };
  return { exitCode: 1, message: status.message ?? 'the command failed' };
}

/** Opens the exec WebSocket; rejects with the API server's own message when it refuses. */
export async function connectRemoteCommand(url: URL, options: ClientOptions): Promise<WebSocket> {
  const socket = new WebSocket(url, [...streamProtocols], options);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('unexpected-response', (request, response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        const body = Buffer.concat(parts).toString('utf8');
        let message = body;
        try {
          message = (JSON.parse(body) as { message?: string }).message ?? body;
        } catch {
          // Not a Status: the body as it is.
        }
        reject(new Error(`exec refused (HTTP ${response.statusCode}): ${message}`));
        request.destroy();
      });
    });
    socket.once('error', reject);
  });
  return socket;
}

export interface RemoteCommandOptions {
  /**
   * Signals what the session started (a hang-up or a kill), as closing the socket alone does not;
   * never rejects.
   */
  signal(signal: 'HUP' | 'KILL'): Promise<void>;
}

export function remoteCommandProcess(socket: WebSocket, options: RemoteCommandOptions): TerminalProcess {
  const dataListeners: ((data: Buffer) => void)[] = [];
  const exitListeners: ((exit: TerminalExit) => void)[] = [];
  let exit: TerminalExit | undefined;
  let status: TerminalExit | undefined;
  const send = (ch: number, data: string) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(frame(ch, data));
  };
  socket.on('message', (message: Buffer) => {
    const ch = message[0];
    const body = message.subarray(1);
    if ((ch === channel.stdout || ch === channel.stderr) && body.length > 0) {
      for (const listener of dataListeners) listener(body);
    } else if (ch === channel.status) status = exitFromStatus(body.toString('utf8'));
  });
  socket.on('error', () => {
    // The close that follows ends the session.
  });
  socket.on('close', (code, reason) => {
    exit = status ?? {
      exitCode: 1,
      message: `the connection closed without an exit status (${code}${reason.length ? ` ${reason}` : ''})`,
    };
    for (const listener of exitListeners) listener(exit);
  });
  const end = (signal: 'HUP' | 'KILL') => {
    // A kill also reaches what outlived the shell, such as its background jobs.
    if (exit && signal === 'HUP') return;
    void options.signal(signal).then(() => {
      if (signal === 'KILL') socket.terminate();
    });
  };
  return {
    onData: (listener) => dataListeners.push(listener),
    onExit: (listener) => {
      if (exit) listener(exit);
      else exitListeners.push(listener);
    },
    write: (data) => send(channel.stdin, data),
    resize: (cols, rows) => send(channel.resize, JSON.stringify({ Width: cols, Height: rows })),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    hangUp: () => end('HUP'),
    kill: () => end('KILL'),
  };
}
