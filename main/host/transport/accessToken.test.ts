import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { newAccessToken, tokenCookieHeader, tokenProof } from './accessToken';

const request = (url: string, cookie?: string) =>
  ({ url, headers: cookie ? { cookie } : {} }) as IncomingMessage;

describe('the access token', () => {
  const token = newAccessToken();

  it('is long and different each run', () => {
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(newAccessToken()).not.toBe(token);
  });

  it('is accepted from the query or the cookie the host sets', () => {
    expect(tokenProof(request(`/?token=${token}`), token)).toBe('query');
    const cookie = tokenCookieHeader(token).split(';')[0];
    expect(tokenProof(request('/assets/app.js', `theme=dark; ${cookie}`), token)).toBe('cookie');
    expect(tokenCookieHeader(token)).toContain('SameSite=Strict');
    expect(tokenCookieHeader(token)).toContain('HttpOnly');
  });

  it('refuses requests without it or with a wrong one', () => {
    expect(tokenProof(request('/'), token)).toBeUndefined();
    expect(tokenProof(request('/?token=guess'), token)).toBeUndefined();
    expect(tokenProof(request('/', 'kubedesk_token=guess'), token)).toBeUndefined();
  });
});
