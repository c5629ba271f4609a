import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../log';
import type { PodWorker } from '../kubelet/podWorker';
import { parseLogQuery, streamLogs } from './containerLogs';
import { parseStreamFlags, runAttach, runExec } from './execSession';
import { isAuthorized } from './kubeletAuth';
import { forwardPort } from './portForward';
import { parsePort, portForwardProtocol } from './portForwardProtocol';
import { serveStatsSummary } from './statsSummary';
import { streamProtocols } from './streamProtocol';

// The kubelet API the API server proxies to, over TLS on the node's kubelet port:
//   GET /healthz
//   GET /stats/summary                                                     (see statsSummary.ts)
//   GET /containerLogs/<ns>/<pod>/<container>?follow&tailLines&timestamps&previous&sinceSeconds
//   GET /exec/<ns>/<pod>/<container>?command=…&stdin&stdout&stderr&tty   (WebSocket v5/v4.channel.k8s.io)
//   GET /attach/<ns>/<pod>/<container>?stdin&stdout&stderr&tty            (same)
//   GET /portForward/<ns>/<pod>?port=N                                    (see portForwardProtocol.ts)

export interface KubeletServerOptions {
  docker: Docker;
  worker: PodWorker;
  caCert: string;
  cert: string;
  key: string;
  kubeletToken?: string;
  log: Logger;
}

export interface KubeletServer {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

const segments = (path: string) => path.split('/').filter(Boolean).map(decodeURIComponent);

function reply(res: ServerResponse, code: number, message: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain' });
  res.end(`${message}\n`);
}

/** A plain-text refusal; the API server shows the text to the client. */
function rejectUpgrade(socket: Duplex, code: number, message: string): void {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function createKubeletServer(options: KubeletServerOptions): KubeletServer {
  const { docker, worker, log } = options;
  const server = createServer({
    cert: options.cert,
    key: options.key,
    ca: options.caCert,
    requestCert: true,
    rejectUnauthorized: false,
  });
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) =>
      [...streamProtocols, portForwardProtocol].find((p) => offered.has(p)) ?? false,
  });

  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    if (url.pathname === '/healthz') return reply(res, 200, 'ok');
    if (!isAuthorized(req, options.kubeletToken)) return reply(res, 401, 'Unauthorized');
    if (url.pathname === '/stats/summary') return serveStatsSummary(docker, res, log);
    const [kind, namespace, pod, container] = segments(url.pathname);
    if (kind !== 'containerLogs' || !namespace || !pod || !container) return reply(res, 404, 'not found');
    try {
      const previous = url.searchParams.get('previous') === 'true';
      const found = await worker.findContainer(namespace, pod, container, previous);
      if (!found) {
        return reply(
          res,
          404,
          previous
            ? `previous terminated container "${container}" in pod "${pod}" not found`
            : `container "${container}" in pod "${pod}" not found`,
        );
      }
      await streamLogs(docker, found.Id, parseLogQuery(url.searchParams), res);
    } catch (err) {
      log.warn('logs failed', { pod, container, error: (err as Error).message });
      if (!res.headersSent) reply(res, 500, (err as Error).message);
      else res.end();
    }
  });

  server.on('upgrade', async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    if (!isAuthorized(req, options.kubeletToken)) return rejectUpgrade(socket, 401, 'Unauthorized');
    const [kind, namespace, pod, container] = segments(url.pathname);
    if (!namespace || !pod) return rejectUpgrade(socket, 404, 'Not Found');
    try {
      if (kind === 'portForward') {
        const port = parsePort(url.searchParams.get('port'));
        if (!port) return rejectUpgrade(socket, 400, `invalid port ${url.searchParams.get('port') ?? ''}`);
        const ip = await worker.podIP(namespace, pod);
        if (!ip) return rejectUpgrade(socket, 404, `pod "${pod}" has no network on this node`);
        wss.handleUpgrade(req, socket, head, (ws) => forwardPort(ws, ip, port));
        return;
      }
      if ((kind !== 'exec' && kind !== 'attach') || !container)
        return rejectUpgrade(socket, 404, 'Not Found');
      const found = await worker.findContainer(namespace, pod, container);
      if (found?.State !== 'running') {
        return rejectUpgrade(socket, 404, `container "${container}" in pod "${pod}" is not running`);
      }
      const flags = parseStreamFlags(url.searchParams);
      const command = url.searchParams.getAll('command');
      if (kind === 'exec' && command.length === 0) return rejectUpgrade(socket, 400, 'no command given');
      wss.handleUpgrade(req, socket, head, (ws) => {
        void (kind === 'exec'
          ? runExec(docker, ws, found.Id, command, flags)
          : runAttach(docker, ws, found.Id, flags));
      });
    } catch (err) {
      log.warn('kubelet stream failed', { pod, error: (err as Error).message });
      rejectUpgrade(socket, 500, 'Internal Server Error');
    }
  });

  return {
    server,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
