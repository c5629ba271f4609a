// Who is calling: the verified client certificate's subject, else a bearer token checked by the
// injected authenticator, else nobody (401).

import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { type Identity, identityFromPeerCertificate } from '../pki';
import type { TokenAuthenticator } from './handlers/reviewHandlers';

export async function authenticate(
  req: IncomingMessage,
  authenticateToken: TokenAuthenticator,
): Promise<Identity | undefined> {
  const socket = req.socket as TLSSocket;
  if (socket.authorized) {
    const cert = socket.getPeerCertificate();
    if (cert && Object.keys(cert).length > 0) return identityFromPeerCertificate(cert);
  }
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ? await authenticateToken(match[1]) : undefined;
}
