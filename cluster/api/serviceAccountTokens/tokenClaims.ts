// The claims of Kubernetes service account tokens, bound (TokenRequest, projected volumes) and
// legacy (token Secrets), and the user each one stands for. Shapes follow kube-apiserver's
// pkg/serviceaccount (claims.go, legacy.go).
// https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-tokens

import type { JWTPayload } from 'jose';
import type { Identity } from '../../pki';

/** kube-apiserver's --service-account-issuer default; also its one API audience. */
export const apiServerIssuer = 'https://kubernetes.default.svc.cluster.local';
export const apiServerAudiences = [apiServerIssuer];
export const legacyIssuer = 'kubernetes/serviceaccount';

export interface ObjectRef {
  name: string;
  uid: string;
}

export type BoundKind = 'Pod' | 'Secret';

export interface BoundClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: ObjectRef;
    pod?: ObjectRef;
    secret?: ObjectRef;
  };
}

const legacyKeys = {
  namespace: 'kubernetes.io/serviceaccount/namespace',
  secretName: 'kubernetes.io/serviceaccount/secret.name',
  name: 'kubernetes.io/serviceaccount/service-account.name',
  uid: 'kubernetes.io/serviceaccount/service-account.uid',
} as const;

export interface LegacyClaims {
  namespace: string;
  secretName: string;
  serviceAccount: ObjectRef;
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'];
}

export interface BoundTokenInput {
  namespace: string;
  serviceAccount: ObjectRef;
  bound?: { kind: BoundKind; ref: ObjectRef };
  audiences: string[];
  issuedAt: Date;
  expirationSeconds: number;
  jti: string;
}

export function boundTokenClaims(input: BoundTokenInput): BoundClaims {
  const iat = Math.floor(input.issuedAt.getTime() / 1000);
  const kube: BoundClaims['kubernetes.io'] = {
    namespace: input.namespace,
    serviceaccount: input.serviceAccount,
  };
  if (input.bound?.kind === 'Pod') kube.pod = input.bound.ref;
  if (input.bound?.kind === 'Secret') kube.secret = input.bound.ref;
  return {
    iss: apiServerIssuer,
    sub: serviceAccountUsername(input.namespace, input.serviceAccount.name),
    aud: input.audiences,
    exp: iat + input.expirationSeconds,
    iat,
    nbf: iat,
    jti: input.jti,
    'kubernetes.io': kube,
  };
}

/** A legacy token never expires and has no audience; it is valid while its Secret holds it. */
export function legacyTokenClaims(claims: LegacyClaims): JWTPayload {
  return {
    iss: legacyIssuer,
    sub: serviceAccountUsername(claims.namespace, claims.serviceAccount.name),
    [legacyKeys.namespace]: claims.namespace,
    [legacyKeys.secretName]: claims.secretName,
    [legacyKeys.name]: claims.serviceAccount.name,
    [legacyKeys.uid]: claims.serviceAccount.uid,
  };
}

const isRef = (v: unknown): v is ObjectRef =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ObjectRef).name === 'string' &&
  typeof (v as ObjectRef).uid === 'string';

/** The bound claims of a verified payload, or undefined when it lacks what Kubernetes requires. */
export function readBoundClaims(payload: JWTPayload): BoundClaims | undefined {
  const kube = payload['kubernetes.io'] as BoundClaims['kubernetes.io'] | undefined;
  if (payload.iss !== apiServerIssuer || typeof payload.jti !== 'string') return undefined;
  if (!Array.isArray(payload.aud) || typeof payload.exp !== 'number') return undefined;
  if (typeof kube?.namespace !== 'string') return undefined;
  if (!isRef(kube.serviceaccount)) return undefined;
  if (kube.pod !== undefined && !isRef(kube.pod)) return undefined;
  if (kube.secret !== undefined && !isRef(kube.secret)) return undefined;
  if (payload.sub !== serviceAccountUsername(kube.namespace, kube.serviceaccount.name)) return undefined;
  return payload as BoundClaims;
}

export function readLegacyClaims(payload: JWTPayload): LegacyClaims | undefined {
  if (payload.iss !== legacyIssuer) return undefined;
  const [namespace, secretName, name, uid] = [
    legacyKeys.namespace,
    legacyKeys.secretName,
    legacyKeys.name,
    legacyKeys.uid,
  ].map((k) => payload[k]);
  if (![namespace, secretName, name, uid].every((v) => typeof v === 'string' && v !== '')) return undefined;
  return {
    namespace: namespace as string,
    secretName: secretName as string,
    serviceAccount: { name: name as string, uid: uid as string },
  };
}

/** The user a bound token authenticates as, with the extras kube-apiserver adds. */
export function boundIdentity(claims: BoundClaims): Identity {
  const kube = claims['kubernetes.io'];
  const extra: Record<string, string[]> = {
    'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`],
  };
  if (kube.pod) {
    extra['authentication.kubernetes.io/pod-name'] = [kube.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [kube.pod.uid];
  }
  return {
    user: claims.sub,
    groups: serviceAccountGroups(kube.namespace),
    uid: kube.serviceaccount.uid,
    extra,
  };
}

export function legacyIdentity(claims: LegacyClaims): Identity {
  return {
    user: serviceAccountUsername(claims.namespace, claims.serviceAccount.name),
    groups: serviceAccountGroups(claims.namespace),
    uid: claims.serviceAccount.uid,
  };
}
