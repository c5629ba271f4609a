// Who is calling: the verified client certificate's subject, else a bearer token checked by the
// injected authenticator, else nobody (401).

import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { type Identity, identityFromPeerCertificate } from '../pki';
import type { TokenAuthenticator } from './handlers/reviewHandlers';

/** Each connection's certificate identity: a connection keeps its peer certificate, and reading it
 * builds a fresh copy every time (most of a GET's authentication cost). */
const certificateIdentities = new WeakMap<TLSSocket, Identity | undefined>();

function certificateIdentity(socket: TLSSocket): Identity | undefined {
  if (certificateIdentities.has(socket)) return certificateIdentities.get(socket);
  const cert = socket.getPeerCertificate();
  const identity = cert && Object.keys(cert).length > 0 ? identityFromPeerCertificate(cert) : undefined;
  certificateIdentities.set(socket, identity);
  return identity;
}

export async function authenticate(
  req: IncomingMessage,
  authenticateToken: TokenAuthenticator,
): Promise<Identity | undefined> {
  const socket = req.socket as TLSSocket;
  const identity = socket.authorized ? certificateIdentity(socket) : undefined;
  if (identity) return identity;
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ? await authenticateToken(match[1]) : undefined;
}
