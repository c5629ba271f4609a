// GET of one object and LIST of a collection (typed list kinds, selectors, paging, tables).

import { apiVersionOf } from '../../registry/resourceCatalog';
import type { KubeObject } from '../../registry/strategy';
import { toTable } from '../../registry/tables';
import { CompactedError } from '../../store/errors';
import type { KeyValue, ListOptions } from '../../store/store';
import { wantsTable } from '../http/negotiation';
import { sendJson, sendJsonText } from '../http/respond';
import { sendJsonList } from '../http/sendJsonList';
import { groupResource } from '../rest/restContext';
import { toApiError } from '../rest/storeErrors';
import { badRequest, expired, notFound } from '../status';
import { type ApiRequest, includeObjectOf, replyObject } from './apiRequest';
import { objectFilter } from './selectors';

export async function getObject(api: ApiRequest): Promise<void> {
  const { info, target } = api;
  const name = target.name ?? '';
  const objects = api.rest.objects;
  const kv = await objects.getStored(info, target.namespace, name);
  if (!kv) throw notFound(groupResource(info), name);
  if (wantsTable(api.req.headers.accept)) replyObject(api, 200, objects.decode(info, kv));
  else sendJsonText(api.res, 200, objects.json(info, kv));
}

/** The store revision a list must read at, from resourceVersion + resourceVersionMatch. */
function listRevision(query: URLSearchParams): number | undefined {
  const rv = query.get('resourceVersion');
  const match = query.get('resourceVersionMatch');
  if (match && !['Exact', 'NotOlderThan'].includes(match)) {
    throw badRequest(
      `resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
    );
  }
  if (rv === null || rv === '' || rv === '0') {
    if (match === 'Exact')
      throw badRequest('resourceVersionMatch "Exact" is forbidden for resourceVersion "0"');
    return undefined;
  }
  const n = Number(rv);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid resource version: ${rv}`);
  const limited = Number(query.get('limit') ?? 0) > 0;
  return match === 'Exact' || (!match && limited) ? n : undefined;
}

export async function listObjects(api: ApiRequest): Promise<void> {
  const { info, target, query } = api;
  const filter = objectFilter(info, query);
  const limit = Math.max(0, Number(query.get('limit') ?? 0) || 0);
  const options: ListOptions = {};
  const token = query.get('continue');
  const revision = listRevision(query);
  if (token) options.continue = token;
  else if (revision !== undefined) options.revision = revision;
  const objects = api.rest.objects;
  const table = wantsTable(api.req.headers.accept);
  // Objects are decoded only to be filtered or tabulated; a JSON reply splices the stored text.
  const decodes = table || !filter.isEverything;
  const items: { kv: KeyValue; obj?: KubeObject }[] = [];
  let listRv = 0;
  let next: string | undefined;
  try {
    for (;;) {
      // Ask only for what is still missing, so a filtered page never exceeds the limit.
      if (limit) options.limit = limit - items.length;
      const page = await objects.listStored(info, target.namespace, options);
      listRv = page.revision;
      for (const kv of page.items) {
        if (!decodes) {
          items.push({ kv });
          continue;
        }
        const obj = objects.decode(info, kv);
        if (filter.matches(obj)) items.push(table ? { kv, obj } : { kv });
      }
      next = page.continue;
      if (!next || !limit || items.length >= limit) break;
      options.continue = next;
    }
  } catch (err) {
    if (token && err instanceof CompactedError) {
      throw expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      );
    }
    throw toApiError(err, { group: info.group, resource: info.plural }, '');
  }
  if (table) {
    const rows = toTable(
      info.group,
      info.kind,
      items.map(({ obj }) => obj as KubeObject),
      {
        now: api.rest.now(),
        includeObject: includeObjectOf(query),
        resourceVersion: String(listRv),
        ...(next ? { continue: next } : {}),
      },
    );
    sendJson(api.res, 200, rows);
    return;
  }
  const metadata: { resourceVersion: string; continue?: string } = { resourceVersion: String(listRv) };
  if (next) metadata.continue = next;
  await sendJsonList(
    api.res,
    { kind: info.listKind, apiVersion: apiVersionOf(info), metadata },
    items.map(({ kv }) => objects.json(info, kv)),
  );
}
