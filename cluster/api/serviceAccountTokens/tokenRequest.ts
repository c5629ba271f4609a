// serviceaccounts/token: a bound token for a ServiceAccount, as kube-apiserver's TokenREST.Create
// issues it — default audiences, expiry validated (10 minutes to 2^32 seconds), an optional bound
// Pod or Secret that must exist (with the uid given, if any) — answered as a TokenRequest whose
// status carries the token and its expiry.
// https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/

import { randomUUID } from 'node:crypto';
import type {
  AuthenticationV1TokenRequest,
  V1BoundObjectReference,
  V1Pod,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import type { Identity, JwtSigner } from '../../pki';
import { builtinCatalog } from '../../registry/builtinResources';
import type { FieldError } from '../../registry/fieldError';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import { invalidValue } from '../../registry/validation/fieldErrors';
import { groupResource, type RestContext, timestamp } from '../rest/restContext';
import { badRequest, conflict, forbidden, invalid, notFound } from '../status';
import { apiServerAudiences, type BoundKind, boundTokenClaims } from './tokenClaims';

const lookup = (plural: string) => builtinCatalog.lookup('', 'v1', plural) as ResourceInfo;
const serviceAccounts = lookup('serviceaccounts');
const boundResources: Record<BoundKind, ResourceInfo> = { Pod: lookup('pods'), Secret: lookup('secrets') };

const tokenRequestKind = { group: 'authentication.k8s.io', kind: 'TokenRequest' };
export const defaultExpirationSeconds = 3600;
const minExpirationSeconds = 600;
const maxExpirationSeconds = 2 ** 32;

function validateSpec(expirationSeconds: number): FieldError[] {
  const field = 'spec.expirationSeconds';
  if (expirationSeconds < minExpirationSeconds)
    return [invalidValue(field, expirationSeconds, 'may not specify a duration less than 10 minutes')];
  if (expirationSeconds > maxExpirationSeconds)
    return [invalidValue(field, expirationSeconds, 'may not specify a duration larger than 2^32 seconds')];
  return [];
}

const nodePrefix = 'system:node:';

/** The node a kubelet credential names, when the caller is one. */
function requestingNode(identity: Identity): string | undefined {
  return identity.user.startsWith(nodePrefix) && identity.groups.includes('system:nodes')
    ? identity.user.slice(nodePrefix.length)
    : undefined;
}

async function boundObject(
  rest: RestContext,
  namespace: string,
  serviceAccount: string,
  ref: V1BoundObjectReference,
) {
  const kind = ref.kind as BoundKind;
  const info = (ref.apiVersion ?? 'v1') === 'v1' ? boundResources[kind] : undefined;
  if (!info) {
    throw badRequest(`cannot bind token to object of type ${ref.apiVersion ?? ''}, Kind=${ref.kind ?? ''}`);
  }
  const name = ref.name ?? '';
  const obj = await rest.objects.get(info, namespace, name);
  if (!obj) throw notFound(groupResource(info), name);
  if (kind === 'Pod' && (obj as V1Pod).spec?.serviceAccountName !== serviceAccount) {
    throw badRequest(
      `cannot bind token for serviceaccount "${serviceAccount}" to pod running with different serviceaccount name.`,
    );
  }
  const uid = obj.metadata?.uid ?? '';
  if (ref.uid && ref.uid !== uid) {
    throw conflict(
      { group: '', resource: kind },
      name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return { kind, obj, ref: { name, uid } };
}

export interface TokenRequestInput {
  namespace: string;
  serviceAccount: string;
  request: AuthenticationV1TokenRequest;
  requester: Identity;
}

export async function createTokenRequest(
  rest: RestContext,
  signer: JwtSigner,
  input: TokenRequestInput,
): Promise<AuthenticationV1TokenRequest> {
  const { namespace, serviceAccount: name, request } = input;
  const meta = request.metadata ?? {};
  if (meta.name && meta.name !== name) {
    throw invalid(tokenRequestKind, name, [
      invalidValue('metadata.name', meta.name, 'must match the service account name if specified'),
    ]);
  }
  if (meta.namespace && meta.namespace !== namespace) {
    throw invalid(tokenRequestKind, name, [
      invalidValue(
        'metadata.namespace',
        meta.namespace,
        'must match the service account namespace if specified',
      ),
    ]);
  }
  const sa = (await rest.objects.get(serviceAccounts, namespace, name)) as V1ServiceAccount | undefined;
  if (!sa) throw notFound(groupResource(serviceAccounts), name);

  const spec = request.spec ?? { audiences: [] };
  const audiences = spec.audiences?.length ? spec.audiences : apiServerAudiences;
  const expirationSeconds = spec.expirationSeconds ?? defaultExpirationSeconds;
  const issuedAt = rest.now();
  const errors = validateSpec(expirationSeconds);
  if (errors.length > 0) throw invalid(tokenRequestKind, '', errors);

  const bound = spec.boundObjectRef
    ? await boundObject(rest, namespace, name, spec.boundObjectRef)
    : undefined;
  // NodeRestriction: a kubelet may only ask for tokens bound to pods it runs.
  const node = requestingNode(input.requester);
  if (node !== undefined && (bound?.kind !== 'Pod' || (bound.obj as V1Pod).spec?.nodeName !== node)) {
    throw forbidden(
      groupResource(serviceAccounts),
      name,
      `node "${node}" can only create tokens bound to pods scheduled on it`,
    );
  }

  const claims = boundTokenClaims({
    namespace,
    serviceAccount: { name, uid: sa.metadata?.uid ?? '' },
    ...(bound ? { bound: { kind: bound.kind, ref: bound.ref } } : {}),
    audiences,
    issuedAt,
    expirationSeconds,
    jti: randomUUID(),
  });
  const token = await signer.sign(claims);
  const expiry = new Date(issuedAt.getTime() + expirationSeconds * 1000);
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { name, namespace, creationTimestamp: timestamp(issuedAt) as unknown as Date },
    spec: {
      audiences,
      expirationSeconds,
      ...(spec.boundObjectRef ? { boundObjectRef: spec.boundObjectRef } : {}),
    },
    status: { token, expirationTimestamp: timestamp(expiry) as unknown as Date },
  };
}
