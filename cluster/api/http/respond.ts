// Writing replies: JSON objects, Status errors, and the `Warning` headers Kubernetes sends.

import type { ServerResponse } from 'node:http';
import type { V1Status } from '@kubernetes/client-node';
import type { ApiError } from '../status';

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
  warnings: string[] = [],
): void {
  sendJsonText(res, code, JSON.stringify(body), contentType, warnings);
}

/** sendJson for a body already serialised. */
export function sendJsonText(
  res: ServerResponse,
  code: number,
  text: string,
  contentType = 'application/json',
  warnings: string[] = [],
): void {
  const headers: Record<string, string | string[]> = {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length > 0) headers.Warning = warnings.map(warningHeader);
  res.writeHead(code, headers);
  res.end(text);
}

/** `299 - "text"`, the form client-go prints as `Warning: text`. */
function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}

function sendStatus(res: ServerResponse, status: V1Status): void {
  sendJson(res, status.code ?? 500, status);
}

export function sendError(res: ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendStatus(res, err.status);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache, private' });
  res.end(text);
}
