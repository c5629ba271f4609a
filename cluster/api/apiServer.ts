// The HTTPS API server: TLS with optional client certificates, authentication, then either a
// non-resource path or a resource route from the table in resourceRoutes.ts.

import { type IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log';
import type { JwtSigner } from '../pki';
import { ObjectStore } from '../registry/objectStore';
import type { ResourceCatalog } from '../registry/resourceCatalog';
import type { Store } from '../store/store';
import { authenticate } from './authenticate';
import type { ApiRequest } from './handlers/apiRequest';
import { isReviewResource, reviewHandler, type TokenAuthenticator } from './handlers/reviewHandlers';
import { parseResourcePath } from './http/requestInfo';
import { sendError } from './http/respond';
import { isPublicPath, serveNonResource } from './nonResourceRoutes';
import { matchResourceRoute } from './resourceRoutes';
import { defaultIds, groupResource, type RestContext } from './rest/restContext';
import { serviceAccountAuthenticator } from './serviceAccountTokens/serviceAccountAuthenticator';
import { createServiceAllocations } from './serviceAllocations';
import {
  type ApiError,
  internalError,
  isApiError,
  methodNotAllowed,
  routeNotFound,
  unauthorized,
} from './status';
import { type KubeletAccess, type KubeletLocator, nodeStatusLocator } from './streaming/kubeletAccess';
import type { UpgradeRequest } from './streaming/upgradeRequest';

export interface ApiServerOptions {
  store: Store;
  catalog: ResourceCatalog;
  tls: { caCert: string; serverCert: string; serverKey: string };
  /** Identities for `Authorization: Bearer` tokens (node agents). */
  authenticateToken?: TokenAuthenticator;
  /**
   * Signs and verifies service account tokens: serviceaccounts/token issues them and bearer tokens
   * it signed authenticate as their service account. Without it only `authenticateToken` applies.
   */
  serviceAccountSigner?: JwtSigner;
  log?: Logger;
  now?: () => Date;
  newUid?: () => string;
  /**
   * The API server's client certificate for kubelet APIs (CN kubedesk-apiserver, signed by the
   * cluster CA). Without it pods/log, exec, attach and portforward answer 503.
   */
  kubeletClientCert?: { cert: string; key: string };
  /** Where a node's kubelet API listens. Default: the Node's InternalIP and kubelet endpoint port. */
  kubeletLocator?: KubeletLocator;
}

export interface ApiServer {
  rest: RestContext;
  /** Set once built-in objects exist; /readyz reports it. */
  setReady(ready: boolean): void;
  /** Listens on each address; port 0 picks a free port (the same one for every address). */
  listen(addresses: string[], port: number): Promise<number>;
  close(): Promise<void>;
}

/** How long an idle keep-alive connection stays open, as kube-apiserver's IdleTimeout. */
const idleConnectionMs = 90_000;

const noTokens: TokenAuthenticator = () => undefined;

/** Kubernetes' token authenticator union: the first authenticator that knows the token wins. */
function firstIdentity(...authenticators: TokenAuthenticator[]): TokenAuthenticator {
  return async (token, audiences) => {
    for (const authenticate of authenticators) {
      const identity = await authenticate(token, audiences);
      if (identity) return identity;
    }
    return undefined;
  };
}

export function createApiServer(options: ApiServerOptions): ApiServer {
  const objects = new ObjectStore(options.store);
  const rest: RestContext = {
    objects,
    catalog: options.catalog,
    now: options.now ?? defaultIds.now,
    newUid: options.newUid ?? defaultIds.newUid,
    allocations: createServiceAllocations(objects),
    serviceAccountAdmission: true,
  };
  const signer = options.serviceAccountSigner;
  const authenticateToken = signer
    ? firstIdentity(
        options.authenticateToken ?? noTokens,
        serviceAccountAuthenticator({ signer, objects, now: rest.now }),
      )
    : (options.authenticateToken ?? noTokens);
  let ready = false;
  const kubelet: KubeletAccess | undefined = options.kubeletClientCert && {
    locate: options.kubeletLocator ?? nodeStatusLocator(rest),
    tls: { ca: options.tls.caCert, ...options.kubeletClientCert },
  };
  /** Connections handed to streaming handlers; close() ends them, as the server no longer tracks them. */
  const upgraded = new Set<Duplex>();
  const nonResource = {
    catalog: options.catalog,
    ready: () => ready,
    serverAddress: (req: IncomingMessage) => `${req.socket.localAddress}:${req.socket.localPort}`,
  };

  async function dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    upgrade?: UpgradeRequest,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const identity = await authenticate(req, authenticateToken);
    if (!identity) {
      if (isPublicPath(url.pathname) && serveNonResource(nonResource, req, res, url.pathname)) return;
      throw unauthorized();
    }
    if (serveNonResource(nonResource, req, res, url.pathname)) return;
    const target = parseResourcePath(url.pathname);
    if (!target) throw routeNotFound();
    const info = options.catalog.lookup(target.group, target.version, target.resource);
    if (!info) throw routeNotFound();
    if (target.subresource && !info.subresources.some((s) => s.name === target.subresource))
      throw routeNotFound();
    const api: ApiRequest = {
      req,
      res,
      query: url.searchParams,
      identity,
      rest,
      info,
      target,
      ...(kubelet ? { kubelet } : {}),
      ...(signer ? { serviceAccountSigner: signer } : {}),
      ...(upgrade ? { upgrade } : {}),
    };
    if (isReviewResource(api)) return reviewHandler(api, authenticateToken);
    const method = req.method ?? 'GET';
    const match = matchResourceRoute(method, target.name !== undefined, target.subresource);
    if (!match) throw routeNotFound();
    if (match === 'method-not-allowed' || (!target.subresource && !info.verbs.includes(match.verb))) {
      throw methodNotAllowed(method, groupResource(info));
    }
    await match.handler(api);
  }

  const tlsOptions = {
    ca: options.tls.caCert,
    cert: options.tls.serverCert,
    key: options.tls.serverKey,
    requestCert: true,
    rejectUnauthorized: false,
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse, upgrade?: UpgradeRequest): void => {
    dispatch(req, res, upgrade).catch((err: unknown) => {
      let apiError: ApiError;
      if (isApiError(err)) apiError = err;
      else {
        options.log?.error('request failed', { method: req.method, url: req.url, error: String(err) });
        apiError = internalError(err);
      }
      sendError(res, apiError);
    });
  };
  // An upgrade request (exec, attach, port-forward) goes through the same authentication and
  // routing; a reply written before the handler takes the connection over (an error Status) goes
  // out on the raw socket, which is then closed.
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    socket.on('error', () => socket.destroy());
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Parameters<ServerResponse['assignSocket']>[0]);
    res.on('finish', () => socket.end());
    onRequest(req, res, { socket, head });
  };
  const servers: Server[] = [];

  async function listenOne(host: string, port: number): Promise<number> {
    const server = createServer(tlsOptions, (req, res) => onRequest(req, res));
    // kube-apiserver keeps idle connections 90 s (Go's client transport idles them as long); Node's
    // 5 s default makes every client that pauses pay a new TLS handshake.
    server.keepAliveTimeout = idleConnectionMs;
    server.on('upgrade', onUpgrade);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    servers.push(server);
    return (server.address() as AddressInfo).port;
  }

  return {
    rest,
    setReady: (value) => {
      ready = value;
    },
    async listen(addresses, port) {
      let chosen = port;
      for (const host of addresses) chosen = await listenOne(host, chosen);
      return chosen;
    },
    async close() {
      for (const socket of upgraded) socket.destroy();
      await Promise.all(
        servers.splice(0).map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}
