import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { readReply } from '../../../cluster/api/http/readReply';

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

const fromBase64 = (data: string | undefined, what: string, path: string) => {
  if (!data) throw new Error(`${path}: the current context has no ${what}`);
  return Buffer.from(data, 'base64').toString('utf8');
};

/** The current context of a kubeconfig with embedded certificates (as the control plane writes it). */
export async function readKubeconfigAccess(path: string): Promise<ApiServerAccess> {
  // Loaded on first use: the Kubernetes client costs the host tens of MB it need not hold idle.
  const { loadKubeConfig } = await import('../../../cluster/kubeconfig/loadKubeConfig');
  const config = loadKubeConfig(path);
  const cluster = config.getCurrentCluster();
  const user = config.getCurrentUser();
  if (!cluster || !user) throw new Error(`${path}: context ${config.getCurrentContext()} is incomplete`);
  return {
    server: cluster.server,
    ca: fromBase64(cluster.caData, 'certificate-authority-data', path),
    cert: fromBase64(user.certData, 'client-certificate-data', path),
    key: fromBase64(user.keyData, 'client-key-data', path),
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
        req.on('response', (res) => readReply(res).then(resolve, reject));
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

/** A client for the cluster a kubeconfig names, reading its credentials at each call: a restarted
 * control plane writes new ones. */
export function kubeconfigApiServerClient(path: string): ApiServerClient {
  const client = async () => createApiServerClient(await readKubeconfigAccess(path));
  return {
    request: async (method, requestPath, options) => (await client()).request(method, requestPath, options),
    stream: async (streamPath) => (await client()).stream(streamPath),
  };
}
