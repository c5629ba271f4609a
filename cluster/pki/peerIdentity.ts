// Kubernetes' x509 authenticator rule: the user is the client certificate's Common Name and the
// groups are its Organization values (apiserver `pkg/authentication/request/x509` CommonNameUserConversion).
import type { PeerCertificate } from 'node:tls';

export interface Identity {
  user: string;
  groups: string[];
  /** Set for service accounts: the ServiceAccount's uid. */
  uid?: string;
  /** Extra attributes, e.g. `authentication.kubernetes.io/pod-name` for a pod-bound token. */
  extra?: Record<string, string[]>;
}

/** Node gives one value as a string and repeated values (several O=) as an array. */
const values = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/**
 * The identity a verified client certificate asserts. Call it only when `socket.authorized` is true,
 * so the chain has already been checked against the cluster CA.
 */
export function identityFromPeerCertificate(cert: PeerCertificate): Identity {
  const subject = cert.subject as unknown as Record<string, string | string[] | undefined> | undefined;
  const user = values(subject?.CN)[0];
  if (!user) throw new Error('client certificate has no Common Name');
  return { user, groups: values(subject?.O) };
}
