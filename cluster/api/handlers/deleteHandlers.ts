// DELETE of one object and of a collection. Options come from a DeleteOptions body (JSON or
// protobuf) or from query parameters, as kubectl and client-go send either.

import type { V1DeleteOptions } from '@kubernetes/client-node';
import { apiVersionOf } from '../../registry/resourceCatalog';
import type { KubeObject } from '../../registry/strategy';
import { decodeObject, mediaTypeOf, readBody } from '../http/requestBody';
import { sendJson } from '../http/respond';
import { deleteObject } from '../rest/deleteObject';
import { groupResource } from '../rest/restContext';
import { toApiError } from '../rest/storeErrors';
import { isApiError, successStatus } from '../status';
import { type ApiRequest, replyObject } from './apiRequest';
import { objectFilter } from './selectors';

async function deleteOptionsOf(api: ApiRequest): Promise<V1DeleteOptions> {
  const body = await readBody(api.req);
  const options: V1DeleteOptions =
    body.length > 0
      ? (decodeObject(body, mediaTypeOf(api.req), {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
        }) as V1DeleteOptions)
      : {};
  const q = api.query;
  const grace = q.get('gracePeriodSeconds');
  if (grace !== null && options.gracePeriodSeconds === undefined) options.gracePeriodSeconds = Number(grace);
  const policy = q.get('propagationPolicy');
  if (policy && !options.propagationPolicy) options.propagationPolicy = policy;
  if (q.getAll('dryRun').length > 0 && !options.dryRun) options.dryRun = q.getAll('dryRun');
  if (q.get('orphanDependents') === 'true' && !options.propagationPolicy)
    options.propagationPolicy = 'Orphan';
  return options;
}

export async function deleteHandler(api: ApiRequest): Promise<void> {
  const { info, target } = api;
  const options = await deleteOptionsOf(api);
  const name = target.name ?? '';
  const result = await deleteObject(api.rest, info, target.namespace, name, options);
  if (!result.gone) {
    replyObject(api, 200, result.object);
    return;
  }
  sendJson(api.res, 200, successStatus(groupResource(info), name, result.object.metadata?.uid));
}

export async function deleteCollectionHandler(api: ApiRequest): Promise<void> {
  const { info, target } = api;
  const options = await deleteOptionsOf(api);
  const filter = objectFilter(info, api.query);
  const list = await api.rest.objects.list(info, target.namespace).catch((err) => {
    throw toApiError(err, groupResource(info), '');
  });
  const items: KubeObject[] = [];
  for (const obj of list.items.filter((o) => filter.matches(o))) {
    const meta = obj.metadata ?? {};
    try {
      items.push((await deleteObject(api.rest, info, meta.namespace, meta.name ?? '', options)).object);
    } catch (err) {
      // Deleted meanwhile: nothing left to do for this one.
      if (!(isApiError(err) && err.code === 404)) throw err;
    }
  }
  sendJson(api.res, 200, {
    kind: info.listKind,
    apiVersion: apiVersionOf(info),
    metadata: { resourceVersion: String(list.revision) },
    items,
  });
}
