import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { parse } from 'yaml';

// A small HTTPS client for the dashboard's writes and streams. They go through the API server's
// own HTTP handlers with the admin credentials, exactly as kubectl's do (decoding, strict field
// validation, admission, server-side apply), rather than around them.

export interface ApiServerAccess {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  /** PEM strings. */
  ca: string;
  cert: string;
  key: string;
}

export interface ApiResponse {
  status: number;
  /** The parsed JSON reply; undefined when the reply was not JSON. */
  body: unknown;
  text: string;
}

export interface ApiServerClient {
  request(
    method: string,
    path: string,
    options?: { body?: unknown; contentType?: string },
  ): Promise<ApiResponse>;
  /** Opens a streaming GET (logs); the caller reads and destroys the reply. */
  stream(path: string): Promise<{ response: IncomingMessage; abort(): void }>;
}

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users?: { name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string } }[];
}

const fromBase64 = (data: string | undefined, what: string, path: string) => {
  if (!data) throw new Error(`${path}: the current context has no ${what}`);
  return Buffer.from(data, 'base64').toString('utf8');
};

/** The current context of a kubeconfig with embedded certificates (as the control plane writes it). */
export function readKubeconfigAccess(path: string): ApiServerAccess {
  const config = parse(readFileSync(path, 'utf8')) as KubeconfigFile;
  const context = config.contexts?.find((c) => c.name === config['current-context'])?.context;
  if (!context) throw new Error(`${path}: no current context`);
  const cluster = config.clusters?.find((c) => c.name === context.cluster)?.cluster;
  const user = config.users?.find((u) => u.name === context.user)?.user;
  if (!cluster || !user) throw new Error(`${path}: context ${config['current-context']} is incomplete`);
  return {
    server: cluster.server,
    ca: fromBase64(cluster['certificate-authority-data'], 'certificate-authority-data', path),
    cert: fromBase64(user['client-certificate-data'], 'client-certificate-data', path),
    key: fromBase64(user['client-key-data'], 'client-key-data', path),
  };
}

export function createApiServerClient(access: ApiServerAccess): ApiServerClient {
  const open = (method: string, path: string, headers: Record<string, string>) =>
    request(new URL(path, access.server), {
      method,
      headers: { Accept: 'application/json', 'User-Agent': 'kubedesk-dashboard', ...headers },
      ca: access.ca,
      cert: access.cert,
      key: access.key,
    });

  return {
    request(method, path, options = {}) {
      const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
      const headers: Record<string, string> = {};
      if (payload) {
        headers['Content-Type'] = options.contentType ?? 'application/json';
        headers['Content-Length'] = String(payload.length);
      }
      return new Promise((resolve, reject) => {
        const req = open(method, path, headers);
        req.on('error', reject);
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = JSON.parse(text);
            } catch {
              body = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body, text });
          });
        });
        req.end(payload);
      });
    },
    stream(path) {
      return new Promise((resolve, reject) => {
        const req = open('GET', path, { Accept: 'text/plain, application/json' });
        req.on('error', reject);
        req.on('response', (response) => resolve({ response, abort: () => req.destroy() }));
        req.end();
      });
    },
  };
}
