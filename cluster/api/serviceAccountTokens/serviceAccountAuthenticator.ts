// Bearer tokens signed with the service account key → the service account's identity. Beyond the
// signature and expiry, the objects the token names must still be there: the ServiceAccount with
// the same uid, the Pod or Secret it is bound to, and for a legacy token the Secret still holding
// exactly this token (kube-apiserver pkg/serviceaccount claims.go and legacy.go Validate).

import type { V1Secret } from '@kubernetes/client-node';
import type { Identity, JwtSigner } from '../../pki';
import { builtinCatalog } from '../../registry/builtinResources';
import type { ObjectStore } from '../../registry/objectStore';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import {
  apiServerAudiences,
  boundIdentity,
  legacyIdentity,
  type ObjectRef,
  readBoundClaims,
  readLegacyClaims,
} from './tokenClaims';

/** Checks a bearer token; `audiences` (default: the API server's) is what the caller accepts. */
export type ServiceAccountAuthenticator = (
  token: string,
  audiences?: string[],
) => Promise<Identity | undefined>;

const lookup = (plural: string) => builtinCatalog.lookup('', 'v1', plural) as ResourceInfo;
const serviceAccounts = lookup('serviceaccounts');
const pods = lookup('pods');
const secrets = lookup('secrets');

export function serviceAccountAuthenticator(options: {
  signer: JwtSigner;
  objects: ObjectStore;
  now: () => Date;
}): ServiceAccountAuthenticator {
  const { objects } = options;

  /** The object named by `ref` when it exists with that uid and is not past its deletion time. */
  async function live(info: ResourceInfo, namespace: string, ref: ObjectRef, now: Date) {
    const obj = await objects.get(info, namespace, ref.name);
    if (!obj || obj.metadata?.uid !== ref.uid) return undefined;
    const deletion = obj.metadata?.deletionTimestamp;
    if (deletion && new Date(deletion as unknown as string).getTime() < now.getTime()) return undefined;
    return obj;
  }

  return async (token, audiences = apiServerAudiences) => {
    const now = options.now();
    const payload = await options.signer.verify(token, now);
    if (!payload) return undefined;

    const bound = readBoundClaims(payload);
    if (bound) {
      if (!bound.aud.some((a) => audiences.includes(a))) return undefined;
      const kube = bound['kubernetes.io'];
      if (!(await live(serviceAccounts, kube.namespace, kube.serviceaccount, now))) return undefined;
      if (kube.pod && !(await live(pods, kube.namespace, kube.pod, now))) return undefined;
      if (kube.secret && !(await live(secrets, kube.namespace, kube.secret, now))) return undefined;
      return boundIdentity(bound);
    }

    const legacy = readLegacyClaims(payload);
    if (legacy) {
      const secret = (await objects.get(secrets, legacy.namespace, legacy.secretName)) as
        | V1Secret
        | undefined;
      if (!secret || secret.metadata?.deletionTimestamp) return undefined;
      const held = secret.data?.token ? Buffer.from(secret.data.token, 'base64').toString('utf8') : '';
      if (held !== token) return undefined;
      if (!(await live(serviceAccounts, legacy.namespace, legacy.serviceAccount, now))) return undefined;
      return legacyIdentity(legacy);
    }
    return undefined;
  };
}
