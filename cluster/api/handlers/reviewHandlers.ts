// The create-only review resources: whoami (SelfSubjectReview), can-i (SelfSubjectAccessReview,
// SubjectAccessReview, SelfSubjectRulesReview) and TokenReview. Every authenticated user is
// authorized until RBAC is enforced, so reviews answer what the server actually does.

import type { Identity } from '../../pki';
import { apiVersionOf } from '../../registry/resourceCatalog';
import { decodeObject, mediaTypeOf, readBody } from '../http/requestBody';
import { sendJson } from '../http/respond';
import { groupResource } from '../rest/restContext';
import { methodNotAllowed } from '../status';
import type { ApiRequest } from './apiRequest';

/** Who a bearer token stands for; `audiences` (TokenReview) narrows which audience-bound tokens count. */
export type TokenAuthenticator = (
  token: string,
  audiences?: string[],
) => Identity | undefined | Promise<Identity | undefined>;

function userInfo(identity: Identity) {
  const groups = identity.groups.includes('system:authenticated')
    ? identity.groups
    : [...identity.groups, 'system:authenticated'];
  return {
    username: identity.user,
    ...(identity.uid ? { uid: identity.uid } : {}),
    groups,
    ...(identity.extra ? { extra: identity.extra } : {}),
  };
}

const allowedReason = 'all authenticated users are authorized';

export function isReviewResource(api: ApiRequest): boolean {
  return api.info.verbs.length === 1 && api.info.verbs[0] === 'create';
}

export async function reviewHandler(api: ApiRequest, authenticateToken: TokenAuthenticator): Promise<void> {
  const { info } = api;
  if (api.req.method !== 'POST') throw methodNotAllowed(api.req.method ?? '', groupResource(info));
  const review = decodeObject(await readBody(api.req), mediaTypeOf(api.req), {
    apiVersion: apiVersionOf(info),
    kind: info.kind,
  });
  let status: object;
  switch (info.kind) {
    case 'SelfSubjectReview':
      status = { userInfo: userInfo(api.identity) };
      break;
    case 'TokenReview': {
      const spec = (review.spec ?? {}) as { token?: string; audiences?: string[] };
      const audiences = spec.audiences?.length ? spec.audiences : undefined;
      const identity = spec.token ? await authenticateToken(spec.token, audiences) : undefined;
      status = identity
        ? { authenticated: true, user: userInfo(identity), ...(audiences ? { audiences } : {}) }
        : { authenticated: false };
      break;
    }
    case 'SelfSubjectRulesReview':
      status = {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      };
      break;
    default:
      status = { allowed: true, reason: allowedReason };
  }
  sendJson(api.res, 201, {
    ...review,
    apiVersion: apiVersionOf(info),
    kind: info.kind,
    metadata: { ...(review.metadata as object | undefined), creationTimestamp: null },
    status,
  });
}
