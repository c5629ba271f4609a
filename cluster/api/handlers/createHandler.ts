// POST on a collection: create (with generateName, dryRun and fieldManager).

import { createObject } from '../rest/createObject';
import { type ApiRequest, isDryRun, replyObject } from './apiRequest';
import { decodeWrite } from './decodeWrite';

export async function createHandler(api: ApiRequest): Promise<void> {
  const { object, warnings } = await decodeWrite(api);
  const fieldManager = api.query.get('fieldManager') ?? defaultManager(api);
  const created = await createObject(api.rest, api.info, api.target.namespace, object, {
    dryRun: isDryRun(api.query),
    fieldManager,
  });
  replyObject(api, 201, created, warnings);
}

/** Kubernetes names an unnamed manager after the client's user agent program. */
export function defaultManager(api: ApiRequest): string {
  const agent = api.req.headers['user-agent'] ?? 'unknown';
  return agent.split('/')[0] || 'unknown';
}
