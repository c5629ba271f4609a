import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ForwarderConfig, forwarderEnv, forwarderSource } from './forwarderProgram';

// The forwarder program run by this machine's Node.js, relaying to local servers standing in for
// nodes' NodePorts.

const running: { stop(): void }[] = [];
afterEach(() => {
  for (const item of running.splice(0)) item.stop();
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

async function startForwarder(config: ForwarderConfig): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', forwarderSource], {
    env: { ...process.env, ...forwarderEnv(config) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.push({ stop: () => child.kill() });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('forwarding')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`forwarder exited with ${code}: ${output}`)));
  });
  return child;
}

async function tcpServer(reply: (data: string) => string): Promise<Server> {
  const server = createServer((socket) => {
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    socket.on('end', () => socket.end(reply(received)));
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  running.push({ stop: () => server.close() });
  return server;
}

function request(port: number, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.end(body);
  });
}

const portOf = (server: Server) => (server.address() as AddressInfo).port;

describe('forwarder program', () => {
  it('relays TCP both ways, half-close included, spreading connections over the targets', async () => {
    const a = await tcpServer((data) => `a:${data}`);
    const b = await tcpServer((data) => `b:${data}`);
    const listenPort = await freePort();
    await startForwarder({
      protocol: 'TCP',
      listenPort,
      targets: [`127.0.0.1:${portOf(a)}`, `127.0.0.1:${portOf(b)}`],
    });
    const answers = await Promise.all(['1', '2', '3', '4'].map((body) => request(listenPort, body)));
    expect(answers.sort()).toEqual(['a:1', 'a:3', 'b:2', 'b:4'].sort());
  });

  it('skips a target that refuses the connection', async () => {
    const alive = await tcpServer((data) => `ok:${data}`);
    const refused = await freePort();
    const listenPort = await freePort();
    await startForwarder({
      protocol: 'TCP',
      listenPort,
      targets: [`127.0.0.1:${refused}`, `127.0.0.1:${portOf(alive)}`],
    });
    expect(await request(listenPort, 'x')).toBe('ok:x');
    expect(await request(listenPort, 'y')).toBe('ok:y');
  });

  it('relays UDP datagrams and their replies per client', async () => {
    const echo = createSocket('udp4');
    echo.on('message', (msg, from) => echo.send(Buffer.from(`echo:${msg}`), from.port, from.address));
    echo.bind(0, '127.0.0.1');
    await once(echo, 'listening');
    running.push({ stop: () => echo.close() });
    const listenPort = await freePort();
    await startForwarder({
      protocol: 'UDP',
      listenPort,
      targets: [`127.0.0.1:${echo.address().port}`],
    });
    const client = createSocket('udp4');
    running.push({ stop: () => client.close() });
    const replies: string[] = [];
    client.on('message', (msg) => replies.push(msg.toString()));
    for (const body of ['one', 'two']) {
      client.send(body, listenPort, '127.0.0.1');
      await once(client, 'message');
    }
    expect(replies).toEqual(['echo:one', 'echo:two']);
  });
});
