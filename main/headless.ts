import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import type { Logger } from '../cluster/log';
import type { AppApiHandlers } from './host/appApi';
import { createDispatcher } from './host/dispatcher';
import { newAccessToken, tokenCookieHeader, tokenProof } from './host/transport/accessToken';
import { wsPath } from './host/transport/wireMessages';
import { serveWebSocket } from './host/transport/wsSession';

// The headless entry: serves the built renderer on loopback and carries AppApi over a WebSocket,
// so a browser shows exactly what the Electron window shows.

export interface HeadlessOptions {
  handlers: AppApiHandlers;
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  log: Logger;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
}

export interface HeadlessHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startHeadlessHost(options: HeadlessOptions): Promise<HeadlessHost> {
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new Error(`${options.rendererDir}/index.html is missing: build the renderer first (npm run build)`);
  }
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newAccessToken();
  const dispatcher = createDispatcher(options.handlers);
  const assets = sirv(options.rendererDir, { single: true, dev: false, etag: true });

  const refuse = (res: ServerResponse) => {
    res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('401 Unauthorized: open the URL that `kubedesk serve` printed; it carries the access token.\n');
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const proof = tokenProof(req, token);
    if (!proof) return refuse(res);
    if (proof === 'query') res.setHeader('set-cookie', tokenCookieHeader(token));
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    assets(req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const origin = req.headers.origin;
    const ownOrigin = origin === undefined || origin === `http://${req.headers.host}`;
    if (url.pathname !== wsPath || !tokenProof(req, token) || !ownOrigin) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveWebSocket(ws, dispatcher, options.log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}/?token=${token}`;
  options.log.info('headless host listening', { url: `http://${host}:${port}/` });

  return {
    url,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
