// An API server on a random loopback port over a memory store, with built-in objects seeded, and
// a small HTTPS client authenticating as admin (client certificate), by token, or anonymously.

import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { garbageCollectorController } from '../../controllers/garbageCollector/garbageCollector';
import { namespaceController } from '../../controllers/namespace/namespaceController';
import { createControllerContext, startControllerManager } from '../../controllers/runtime/controllerManager';
import { rootCaPublisher } from '../../controllers/serviceAccount/rootCaPublisher';
import { serviceAccountController } from '../../controllers/serviceAccount/serviceAccountController';
import { serviceAccountTokensController } from '../../controllers/serviceAccount/tokensController';
import { nullLogger } from '../../log';
import { createJwtSigner, ensurePki, type Identity, type Pki } from '../../pki';
import { builtinCatalog } from '../../registry/builtinResources';
import { createMemoryStore } from '../../store/memoryStore';
import type { Store } from '../../store/store';
import { type ApiServer, createApiServer } from '../apiServer';
import { readReply } from '../http/readReply';
import { seedBuiltinObjects } from '../lifecycle/builtinObjects';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON events
export type WatchLine = { type: string; object: any };

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON replies
  body: any;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw bytes sent as is (protobuf, oversized bodies). */
  raw?: Buffer;
  contentType?: string;
  accept?: string;
  /** Default: the admin client certificate. */
  auth?: 'admin' | 'anonymous' | { token: string };
}

export interface TestApiServer {
  api: ApiServer;
  store: Store;
  pki: Pki;
  port: number;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  /** Opens a watch and collects parsed events until `close()`. */
  watch(path: string, options?: RequestOptions): Promise<{ events: WatchLine[]; close(): void }>;
  stop(): Promise<void>;
}

export const agentToken = 'agent-token';
export const agentIdentity: Identity = { user: 'system:node:n1', groups: ['system:nodes'] };

export async function startTestApiServer(options: { store?: Store } = {}): Promise<TestApiServer> {
  const pkiDir = mkdtempSync(join(tmpdir(), 'kubedesk-pki-'));
  const pki = await ensurePki(pkiDir, { serverSans: { dns: ['localhost'], ips: ['127.0.0.1'] } });
  const store = options.store ?? createMemoryStore();
  const serviceAccountSigner = createJwtSigner(pki.serviceAccountKey);
  const api = createApiServer({
    store,
    catalog: builtinCatalog,
    tls: { caCert: pki.caCert, serverCert: pki.serverCert, serverKey: pki.serverKey },
    authenticateToken: (token) => (token === agentToken ? agentIdentity : undefined),
    serviceAccountSigner,
  });
  const port = await api.listen(['127.0.0.1'], 0);
  await seedBuiltinObjects(api.rest, { ip: '127.0.0.1', port });
  // The API's lifecycle semantics (namespace deletion, owner references) need these controllers.
  const lifecycle = await startControllerManager(createControllerContext(api.rest, { log: nullLogger }), [
    garbageCollectorController,
    namespaceController({ finalizeDelayMs: 0 }),
    serviceAccountController,
    rootCaPublisher(pki.caCert),
    serviceAccountTokensController({ signer: serviceAccountSigner, caCert: pki.caCert }),
  ]);
  api.setReady(true);

  function open(method: string, path: string, options: RequestOptions) {
    const auth = options.auth ?? 'admin';
    const headers: Record<string, string> = {};
    if (options.accept) headers.Accept = options.accept;
    const payload =
      options.raw ?? (options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body)));
    if (payload) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      // Node sends DELETE bodies unframed unless the length is given.
      headers['Content-Length'] = String(payload.length);
    }
    if (typeof auth === 'object') headers.Authorization = `Bearer ${auth.token}`;
    const req = httpsRequest({
      host: '127.0.0.1',
      port,
      method,
      path,
      headers,
      ca: pki.caCert,
      ...(auth === 'admin' ? { cert: pki.adminCert, key: pki.adminKey } : {}),
    });
    req.end(payload);
    return req;
  }

  return {
    api,
    store,
    pki,
    port,
    request(method, path, options = {}) {
      return new Promise((resolve, reject) => {
        const req = open(method, path, options);
        req.on('error', reject);
        req.on('response', (res) => readReply(res).then(resolve, reject));
      });
    },
    watch(path, options = {}) {
      return new Promise((resolve, reject) => {
        const req = open('GET', path, options);
        const events: WatchLine[] = [];
        req.on('error', (err) => {
          if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
        });
        req.on('response', (res) => {
          let buffered = '';
          res.on('data', (chunk: Buffer) => {
            buffered += chunk.toString('utf8');
            const lines = buffered.split('\n');
            buffered = lines.pop() ?? '';
            for (const line of lines) if (line.trim()) events.push(JSON.parse(line));
          });
          // close() destroys the socket mid-stream; that ends the watch, it is not a failure.
          res.on('error', () => undefined);
          resolve({ events, close: () => req.destroy() });
        });
      });
    },
    async stop() {
      lifecycle.stop();
      await api.close();
      await store.close();
      rmSync(pkiDir, { recursive: true, force: true });
    },
  };
}
