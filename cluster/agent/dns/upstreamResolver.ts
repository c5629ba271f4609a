import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

// Forwarding to the node's own resolvers (from its /etc/resolv.conf: Docker's embedded DNS at
// 127.0.0.11 on a user-defined network, which also knows host.docker.internal). UDP queries share
// one socket with rewritten ids; TCP queries get a connection each. Each upstream is tried in turn.

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
}

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], options: [] };
  for (const raw of text.split('\n')) {
    const [key, ...values] = raw
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    if (key === 'nameserver' && values[0]) conf.nameservers.push(values[0]);
    else if (key === 'search' || key === 'domain') conf.search = values;
    else if (key === 'options') conf.options.push(...values);
  }
  return conf;
}

export function readResolvConf(path = '/etc/resolv.conf'): ResolvConf {
  return parseResolvConf(readFileSync(path, 'utf8'));
}

export interface UpstreamResolver {
  /** The upstream's raw response to the raw `query`, or undefined when no upstream answered. */
  resolve(query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined>;
  close(): void;
}

interface Pending {
  resolve(response: Buffer | undefined): void;
  originalId: number;
  timer: NodeJS.Timeout;
}

export function createUpstreamResolver(
  servers: string[],
  options: { port?: number; timeoutMs?: number } = {},
): UpstreamResolver {
  const port = options.port ?? 53;
  const timeoutMs = options.timeoutMs ?? 2000;
  const pending = new Map<number, Pending>();
  let nextId = Math.floor(Math.random() * 65536);
  let socket: Socket | undefined;

  const udpSocket = () => {
    if (socket) return socket;
    socket = createSocket('udp4');
    socket.on('message', (msg) => {
      if (msg.length < 2) return;
      const entry = pending.get(msg.readUInt16BE(0));
      if (!entry) return;
      pending.delete(msg.readUInt16BE(0));
      clearTimeout(entry.timer);
      const response = Buffer.from(msg);
      response.writeUInt16BE(entry.originalId, 0);
      entry.resolve(response);
    });
    socket.unref();
    return socket;
  };

  const overUdp = (query: Buffer, server: string) =>
    new Promise<Buffer | undefined>((resolve) => {
      let id = nextId;
      while (pending.has(id)) id = (id + 1) & 0xffff;
      nextId = (id + 1) & 0xffff;
      const rewritten = Buffer.from(query);
      rewritten.writeUInt16BE(id, 0);
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(undefined);
      }, timeoutMs);
      pending.set(id, { resolve, originalId: query.readUInt16BE(0), timer });
      udpSocket().send(rewritten, port, server, (err) => {
        if (!err) return;
        pending.delete(id);
        clearTimeout(timer);
        resolve(undefined);
      });
    });

  const overTcp = (query: Buffer, server: string) =>
    new Promise<Buffer | undefined>((resolve) => {
      const conn = connect({ host: server, port });
      let data = Buffer.alloc(0);
      const done = (response: Buffer | undefined) => {
        conn.destroy();
        resolve(response);
      };
      conn.setTimeout(timeoutMs, () => done(undefined));
      conn.on('error', () => done(undefined));
      conn.on('connect', () => {
        const length = Buffer.alloc(2);
        length.writeUInt16BE(query.length, 0);
        conn.write(Buffer.concat([length, query]));
      });
      conn.on('data', (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0))
          done(data.subarray(2, 2 + data.readUInt16BE(0)));
      });
      conn.on('end', () => done(undefined));
    });

  return {
    async resolve(query, transport) {
      for (const server of servers) {
        const response = await (transport === 'udp' ? overUdp(query, server) : overTcp(query, server));
        if (response) return response;
      }
      return undefined;
    },
    close() {
      for (const entry of pending.values()) {
        clearTimeout(entry.timer);
        entry.resolve(undefined);
      }
      pending.clear();
      socket?.close();
      socket = undefined;
    },
  };
}
