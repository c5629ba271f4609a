// GET of one object and LIST of a collection (typed list kinds, selectors, paging, tables).

import { apiVersionOf } from '../../registry/resourceCatalog';
import type { KubeObject } from '../../registry/strategy';
import { toTable } from '../../registry/tables';
import { CompactedError } from '../../store/errors';
import type { KeyValue, ListOptions, ListResult } from '../../store/store';
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

/** Store reads per page when a list without a limit streams: bounds what one LIST holds in memory.
 * 100 pods are ~300 KB of JSON, which dies in the host's young generation (see hostProcess.ts)
 * instead of being promoted to the old one, where only full collections reclaim it. */
const streamedPage = 100;

interface ListedItem {
  kv: KeyValue;
  /** Decoded only when a table needs it. */
  obj?: KubeObject;
}

interface ListedPage {
  items: ListedItem[];
  revision: number;
  continue?: string;
}

/** The list's matching items, a store page at a time, every page at the first page's revision. */
async function* listedPages(api: ApiRequest, limit: number, table: boolean): AsyncGenerator<ListedPage> {
  const { info, target, query } = api;
  const filter = objectFilter(info, query);
  const options: ListOptions = {};
  const token = query.get('continue');
  const revision = listRevision(query);
  if (token) options.continue = token;
  else if (revision !== undefined) options.revision = revision;
  const objects = api.rest.objects;
  // Objects are decoded only to be filtered or tabulated; a JSON reply splices the stored text.
  const decodes = table || !filter.isEverything;
  let found = 0;
  for (;;) {
    // Ask only for what is still missing, so a filtered page never exceeds the limit.
    options.limit = limit ? limit - found : streamedPage;
    let page: ListResult;
    try {
      page = await objects.listStored(info, target.namespace, options);
    } catch (err) {
      if (options.continue && err instanceof CompactedError) {
        throw expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      throw toApiError(err, { group: info.group, resource: info.plural }, '');
    }
    const items: ListedItem[] = [];
    for (const kv of page.items) {
      if (!decodes) {
        items.push({ kv });
        continue;
      }
      const obj = objects.decode(info, kv);
      if (filter.matches(obj)) items.push(table ? { kv, obj } : { kv });
    }
    found += items.length;
    const last = !page.continue || (limit > 0 && found >= limit);
    yield last && page.continue
      ? { items, revision: page.revision, continue: page.continue }
      : { items, revision: page.revision };
    if (last) return;
    options.continue = page.continue;
  }
}

export async function listObjects(api: ApiRequest): Promise<void> {
  const { info, query } = api;
  const limit = Math.max(0, Number(query.get('limit') ?? 0) || 0);
  const table = wantsTable(api.req.headers.accept);
  const objects = api.rest.objects;
  const pages = listedPages(api, limit, table);
  const json = (items: readonly ListedItem[]) => items.map(({ kv }) => objects.json(info, kv));
  // The first page is read before the reply starts, so its errors become Status replies.
  const first = (await pages.next()).value as ListedPage;
  if (!table && !limit) {
    const metadata = { resourceVersion: String(first.revision) };
    const items = (async function* () {
      yield json(first.items);
      for await (const page of pages) yield json(page.items);
    })();
    await sendJsonList(api.res, { kind: info.listKind, apiVersion: apiVersionOf(info), metadata }, items);
    return;
  }
  // A table, or a page of a client's own size: gathered, since its metadata comes first.
  const items = [...first.items];
  let last = first;
  for await (const page of pages) {
    items.push(...page.items);
    last = page;
  }
  const metadata: { resourceVersion: string; continue?: string } = {
    resourceVersion: String(first.revision),
  };
  if (last.continue) metadata.continue = last.continue;
  if (table) {
    const rows = toTable(
      info.group,
      info.kind,
      items.map(({ obj }) => obj as KubeObject),
      {
        now: api.rest.now(),
        includeObject: includeObjectOf(query),
        ...metadata,
      },
    );
    sendJson(api.res, 200, rows);
    return;
  }
  await sendJsonList(api.res, { kind: info.listKind, apiVersion: apiVersionOf(info), metadata }, [
    json(items),
  ]);
}
