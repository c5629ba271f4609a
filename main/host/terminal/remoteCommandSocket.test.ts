import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { exitStatus, frame } from '../../../cluster/agent/kubeletApi/streamProtocol';
import { connectRemoteCommand, exitFromStatus, remoteCommandProcess } from './remoteCommandSocket';
import type { TerminalExit } from './terminalProcess';

// Against a small WebSocket server standing in for the API server's exec endpoint.

let server: Server | undefined;
afterEach(() => server?.close());

async function endpoint(onSocket: (socket: WebSocket) => void, refuse?: { status: number; body: string }) {
  const http = createServer((_req, res) => res.writeHead(404).end());
  server = http;
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => [...offered][0] ?? false,
  });
  http.on('upgrade', (req, socket, head) => {
    if (refuse) {
      socket.end(
        `HTTP/1.1 ${refuse.status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(refuse.body)}\r\n\r\n${refuse.body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, onSocket);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return new URL(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/exec`);
}

describe('exitFromStatus', () => {
  it('reads success, a non-zero exit code, and other failures with their message', () => {
    expect(exitFromStatus(exitStatus(0))).toEqual({ exitCode: 0 });
    expect(exitFromStatus(exitStatus(130))).toEqual({ exitCode: 130 });
    expect(
      exitFromStatus(
        JSON.stringify({ status: 'Failure', reason: 'InternalError', message: 'no such container' }),
      ),
    ).toEqual({ exitCode: 1, message: 'no such container' });
  });
});

describe('a remotecommand session', () => {
  it('speaks v5: stdin on 0, the size on 4, output from 1 and 2, the exit from the status on 3', async () => {
    const received: Buffer[] = [];
    let serverSide: WebSocket | undefined;
    const url = await endpoint((socket) => {
      serverSide = socket;
      socket.on('message', (data: Buffer) => received.push(data));
    });
    const socket = await connectRemoteCommand(url, {});
    expect(socket.protocol).toBe('v5.channel.k8s.io');
    const terminal = remoteCommandProcess(socket, { signal: async () => {} });
    let output = '';
    let exit: TerminalExit | undefined;
    terminal.onData((data) => (output += data.toString()));
    terminal.onExit((e) => (exit = e));

    terminal.resize(120, 40);
    terminal.write('ls\r');
    await expect.poll(() => received.length).toBe(2);
    expect(received[0]?.[0]).toBe(4);
    expect(JSON.parse(received[0]?.subarray(1).toString() ?? '')).toEqual({ Width: 120, Height: 40 });
    expect(received[1]).toEqual(frame(0, 'ls\r'));

    serverSide?.send(frame(1, 'out '));
    serverSide?.send(frame(2, 'err'));
    serverSide?.send(frame(3, exitStatus(2)), () => serverSide?.close(1000));
    await expect.poll(() => exit).toEqual({ exitCode: 2 });
    expect(output).toBe('out err');
  });

  it('hangs up and kills through the signal it was given; a kill also drops the connection', async () => {
    const url = await endpoint(() => {});
    const socket = await connectRemoteCommand(url, {});
    const signals: string[] = [];
    const terminal = remoteCommandProcess(socket, { signal: async (name) => void signals.push(name) });
    let exit: TerminalExit | undefined;
    terminal.onExit((e) => (exit = e));
    terminal.hangUp();
    terminal.kill();
    await expect.poll(() => exit?.message).toMatch(/closed without an exit status/);
    expect(signals).toEqual(['HUP', 'KILL']);
  });

  it('rejects with the API server’s message when the exec is refused', async () => {
    const body = JSON.stringify({ kind: 'Status', status: 'Failure', message: 'pods "web" not found' });
    const url = await endpoint(() => {}, { status: 404, body });
    await expect(connectRemoteCommand(url, {})).rejects.toThrow(
      'exec refused (HTTP 404): pods "web" not found',
    );
  });
});
