// The request as resource handlers see it, plus the reply helpers they share.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity, JwtSigner } from '../../pki';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import type { KubeObject } from '../../registry/strategy';
import { toTable } from '../../registry/tables';
import { wantsTable } from '../http/negotiation';
import type { ResourceRequest } from '../http/requestInfo';
import { sendJson } from '../http/respond';
import type { RestContext } from '../rest/restContext';
import type { KubeletAccess } from '../streaming/kubeletAccess';
import type { UpgradeRequest } from '../streaming/upgradeRequest';

export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  identity: Identity;
  rest: RestContext;
  info: ResourceInfo;
  target: ResourceRequest;
  /** How to reach kubelets, for the streaming pod subresources. */
  kubelet?: KubeletAccess;
  /** Signs service account tokens (serviceaccounts/token). */
  serviceAccountSigner?: JwtSigner;
  /** Set when the client asked to switch protocols (WebSocket or SPDY); the connection is ours. */
  upgrade?: UpgradeRequest;
}

export type IncludeObject = 'None' | 'Object' | 'Metadata';

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

export function isDryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All');
}

/** Replies with one object, as a one-row Table when the client asked for tables. */
export function replyObject(api: ApiRequest, code: number, obj: KubeObject, warnings: string[] = []): void {
  if (wantsTable(api.req.headers.accept)) {
    const table = toTable(api.info.group, api.info.kind, [obj], {
      now: api.rest.now(),
      includeObject: includeObjectOf(api.query),
      resourceVersion: obj.metadata?.resourceVersion,
    });
    sendJson(api.res, code, table, 'application/json', warnings);
    return;
  }
  sendJson(api.res, code, obj, 'application/json', warnings);
}
