import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { parse } from 'yaml';

// A minimal HTTPS client for benchmarks: the admin identity from a kubeconfig, keep-alive sockets,
// raw JSON in and out, so the figures measure the server rather than a client library.

export interface KubeClient {
  server: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }>;
  stream(path: string, onLine: (line: string) => void): { close(): void };
}

export function kubeClientFromKubeconfig(path: string, maxSockets = 16): KubeClient {
  const config = parse(readFileSync(path, 'utf8'));
  const cluster = config.clusters[0].cluster;
  const user = config.users[0].user;
  const decode = (data: string) => Buffer.from(data, 'base64');
  const agent = new Agent({
    keepAlive: true,
    maxSockets,
    ca: decode(cluster['certificate-authority-data']),
    cert: decode(user['client-certificate-data']),
    key: decode(user['client-key-data']),
  });
  const server: string = cluster.server;
  return {
    server,
    call(method, path, body) {
      return new Promise((resolve, reject) => {
        const req = request(
          new URL(path, server),
          { method, agent, headers: { 'content-type': 'application/json', accept: 'application/json' } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
            );
          },
        );
        req.on('error', reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    },
    stream(path, onLine) {
      const req = request(
        new URL(path, server),
        { agent: new Agent({ ca: agent.options.ca, cert: agent.options.cert, key: agent.options.key }) },
        (res) => {
          let buffer = '';
          res.on('data', (chunk: Buffer) => {
            buffer += chunk.toString();
            let newline = buffer.indexOf('\n');
            while (newline >= 0) {
              onLine(buffer.slice(0, newline));
              buffer = buffer.slice(newline + 1);
              newline = buffer.indexOf('\n');
            }
          });
        },
      );
      req.end();
      return { close: () => req.destroy() };
    },
  };
}
