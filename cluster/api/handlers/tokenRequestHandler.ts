// POST serviceaccounts/<name>/token (`kubectl create token`): decodes the TokenRequest (JSON or
// protobuf) and answers 201 with the token in its status.

import type { AuthenticationV1TokenRequest } from '@kubernetes/client-node';
import { decodeObject, mediaTypeOf, readBody } from '../http/requestBody';
import { sendJson } from '../http/respond';
import { createTokenRequest } from '../serviceAccountTokens/tokenRequest';
import { serviceUnavailable } from '../status';
import type { ApiRequest } from './apiRequest';

export async function tokenRequestHandler(api: ApiRequest): Promise<void> {
  if (!api.serviceAccountSigner) throw serviceUnavailable('service account token signing is not configured');
  const request = decodeObject(await readBody(api.req), mediaTypeOf(api.req), {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
  }) as unknown as AuthenticationV1TokenRequest;
  const reply = await createTokenRequest(api.rest, api.serviceAccountSigner, {
    namespace: api.target.namespace ?? 'default',
    serviceAccount: api.target.name ?? '',
    request,
    requester: api.identity,
  });
  sendJson(api.res, 201, reply);
}
