import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

// Who may call the kubelet API: the API server, identified by a client certificate signed by the
// cluster CA with CN `kubedesk-apiserver`, or by the bearer token in credentials/kubelet-token.

export const apiServerCommonName = 'kubedesk-apiserver';

export function isAuthorized(req: IncomingMessage, kubeletToken?: string): boolean {
  const socket = req.socket as TLSSocket;
  if (socket.authorized) {
    const cn = socket.getPeerCertificate()?.subject?.CN;
    if ((Array.isArray(cn) ? cn[0] : cn) === apiServerCommonName) return true;
  }
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!kubeletToken || !token) return false;
  const a = Buffer.from(token);
  const b = Buffer.from(kubeletToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
