// The route table for resource paths: (method, collection or item, subresource) → handler, with
// the verb each needs so unsupported verbs answer 405.

import type { Verb } from '../registry/resourceCatalog';
import type { ApiRequest } from './handlers/apiRequest';
import { createHandler } from './handlers/createHandler';
import { deleteCollectionHandler, deleteHandler } from './handlers/deleteHandlers';
import { patchHandler } from './handlers/patchHandler';
import { bindingHandler, evictionHandler, streamingHandler } from './handlers/podSubresources';
import { getObject, listObjects } from './handlers/readHandlers';
import { scaleHandler } from './handlers/scaleHandler';
import { tokenRequestHandler } from './handlers/tokenRequestHandler';
import { updateHandler } from './handlers/updateHandler';
import { watchObjects } from './handlers/watchHandler';

export type Handler = (api: ApiRequest) => Promise<void>;

interface Route {
  method: string;
  /** Whether the path names one object. */
  item: boolean;
  /** Subresource name; undefined for the resource itself. */
  subresource?: string;
  verb: Verb;
  handler: Handler;
}

function isWatch(api: ApiRequest): boolean {
  const watch = api.query.get('watch');
  return api.target.watchPath || watch === 'true' || watch === '1';
}

const collectionGet: Handler = (api) => (isWatch(api) ? watchObjects(api) : listObjects(api));
const itemGet: Handler = (api) => (isWatch(api) ? watchObjects(api) : getObject(api));

const routes: Route[] = [
  { method: 'GET', item: false, verb: 'list', handler: collectionGet },
  { method: 'POST', item: false, verb: 'create', handler: createHandler },
  { method: 'DELETE', item: false, verb: 'deletecollection', handler: deleteCollectionHandler },
  { method: 'GET', item: true, verb: 'get', handler: itemGet },
  { method: 'PUT', item: true, verb: 'update', handler: updateHandler },
  { method: 'PATCH', item: true, verb: 'patch', handler: patchHandler },
  { method: 'DELETE', item: true, verb: 'delete', handler: deleteHandler },
  { method: 'GET', item: true, subresource: 'status', verb: 'get', handler: getObject },
  { method: 'PUT', item: true, subresource: 'status', verb: 'update', handler: updateHandler },
  { method: 'PATCH', item: true, subresource: 'status', verb: 'patch', handler: patchHandler },
  { method: 'PUT', item: true, subresource: 'finalize', verb: 'update', handler: updateHandler },
  { method: 'GET', item: true, subresource: 'approval', verb: 'get', handler: getObject },
  { method: 'PUT', item: true, subresource: 'approval', verb: 'update', handler: updateHandler },
  { method: 'PATCH', item: true, subresource: 'approval', verb: 'patch', handler: patchHandler },
  { method: 'GET', item: true, subresource: 'scale', verb: 'get', handler: scaleHandler },
  { method: 'PUT', item: true, subresource: 'scale', verb: 'update', handler: scaleHandler },
  { method: 'PATCH', item: true, subresource: 'scale', verb: 'patch', handler: scaleHandler },
  { method: 'POST', item: true, subresource: 'binding', verb: 'create', handler: bindingHandler },
  { method: 'POST', item: true, subresource: 'eviction', verb: 'create', handler: evictionHandler },
  { method: 'POST', item: true, subresource: 'token', verb: 'create', handler: tokenRequestHandler },
  ...['log', 'exec', 'attach', 'portforward'].flatMap((subresource) =>
    ['GET', 'POST'].map((method) => ({
      method,
      item: true,
      subresource,
      verb: 'get' as Verb,
      handler: streamingHandler,
    })),
  ),
];

export type RouteMatch = { handler: Handler; verb: Verb } | 'method-not-allowed' | undefined;

/** Finds the handler; undefined when the path shape is not served at all. */
export function matchResourceRoute(
  method: string,
  item: boolean,
  subresource: string | undefined,
): RouteMatch {
  const candidates = routes.filter((r) => r.item === item && r.subresource === subresource);
  if (candidates.length === 0) return undefined;
  const route = candidates.find((r) => r.method === method);
  return route ? { handler: route.handler, verb: route.verb } : 'method-not-allowed';
}
