// Paths outside /api/<v>/... and /apis/<g>/<v>/...: version, health, discovery roots, OpenAPI.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceCatalog } from '../registry/resourceCatalog';
import { apiGroupOf, apiResourceList, sendRootDiscovery, versionInfo } from './handlers/discoveryHandlers';
import { sendJson, sendText } from './http/respond';
import {
  openapiV2Json,
  openapiV3Document,
  openapiV3DocumentHash,
  openapiV3Index,
} from './openapi/openapiDocuments';
import { openapiV2Protobuf, openapiV2ProtobufType } from './openapiV2Protobuf';
import { processMetricsText } from './processMetrics';
import { routeNotFound } from './status';

export interface NonResourceContext {
  catalog: ResourceCatalog;
  /** host:port clients reach us at (for /api serverAddressByClientCIDRs). */
  serverAddress(req: IncomingMessage): string;
  ready(): boolean;
}

/** Paths served without authentication, as kube-apiserver's system:public-info-viewer allows. */
export function isPublicPath(pathname: string): boolean {
  return /^\/(livez|readyz|healthz|version)(\/.*)?$/.test(pathname);
}

function sendBytes(res: ServerResponse, body: Buffer, contentType: string): void {
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(body.length) });
  res.end(body);
}

/** Serves a non-resource path; false when the path is not one of them. */
export function serveNonResource(
  ctx: NonResourceContext,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): boolean {
  const parts = pathname.split('/').filter(Boolean);
  if (pathname === '/version' || pathname === '/version/') {
    sendJson(res, 200, versionInfo);
    return true;
  }
  if (/^\/(livez|healthz)(\/.*)?$/.test(pathname)) {
    sendText(res, 200, 'ok');
    return true;
  }
  if (/^\/readyz(\/.*)?$/.test(pathname)) {
    if (ctx.ready()) sendText(res, 200, 'ok');
    else sendText(res, 500, '[-]store not ready\nreadyz check failed');
    return true;
  }
  if (pathname === '/metrics') {
    sendText(res, 200, processMetricsText());
    return true;
  }
  if (pathname === '/api' || pathname === '/apis') {
    sendRootDiscovery(res, req.headers.accept, ctx.catalog, pathname === '/api', ctx.serverAddress(req));
    return true;
  }
  if (parts[0] === 'api' && parts.length === 2) {
    const list = apiResourceList(ctx.catalog, '', parts[1] ?? '');
    if (!list) throw routeNotFound();
    sendJson(res, 200, list);
    return true;
  }
  if (parts[0] === 'apis' && (parts.length === 2 || parts.length === 3)) {
    const body =
      parts.length === 2
        ? apiGroupOf(ctx.catalog, parts[1] ?? '')
        : apiResourceList(ctx.catalog, parts[1] ?? '', parts[2] ?? '');
    if (!body) throw routeNotFound();
    sendJson(res, 200, body);
    return true;
  }
  if (pathname === '/openapi/v2') {
    const accept = req.headers.accept ?? '';
    if (accept.includes('protobuf') && !/json|\*\/\*/.test(accept)) {
      sendBytes(res, openapiV2Protobuf(), openapiV2ProtobufType);
      return true;
    }
    sendBytes(res, openapiV2Json(), 'application/json');
    return true;
  }
  if (pathname === '/openapi/v3') {
    sendJson(res, 200, openapiV3Index());
    return true;
  }
  if (pathname.startsWith('/openapi/v3/')) {
    const path = pathname.slice('/openapi/v3/'.length);
    const doc = openapiV3Document(path);
    if (!doc) throw routeNotFound();
    res.setHeader('ETag', `"${openapiV3DocumentHash(path)}"`);
    sendBytes(res, doc, 'application/json');
    return true;
  }
  return false;
}
