import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// The headless host is driven only by whoever holds the per-run token from the printed URL.
// The page's first load carries it as `?token=`; the host then sets a SameSite=Strict cookie so
// assets and the WebSocket authenticate without the token appearing in every URL.

export const tokenCookie = 'kubedesk_token';

export function newAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === tokenCookie) return value.join('=');
  }
  return undefined;
}

/** How the request proved it holds the token, or undefined when it did not. */
export function tokenProof(req: IncomingMessage, token: string): 'query' | 'cookie' | undefined {
  const query = new URL(req.url ?? '/', 'http://host').searchParams.get('token');
  if (query !== null && sameToken(query, token)) return 'query';
  const cookie = cookieToken(req);
  if (cookie !== undefined && sameToken(cookie, token)) return 'cookie';
  return undefined;
}

export function tokenCookieHeader(token: string): string {
  return `${tokenCookie}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
