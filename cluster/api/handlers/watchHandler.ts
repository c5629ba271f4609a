// WATCH: a chunked stream of `{"type","object"}` lines. Covers resume from a resourceVersion,
// synthetic ADDED events for rv unset/0, WatchList (`sendInitialEvents=true` then a bookmark
// annotated `k8s.io/initial-events-end`), bookmarks, 410 ERROR events, timeoutSeconds, and
// Table-formatted events for `kubectl get -w`.

import type { ObjectEvent } from '../../registry/objectStore';
import { apiVersionOf } from '../../registry/resourceCatalog';
import type { KubeObject } from '../../registry/strategy';
import { toTable } from '../../registry/tables';
import { wantsTable } from '../http/negotiation';
import { toApiError } from '../rest/storeErrors';
import { badRequest } from '../status';
import { type ApiRequest, includeObjectOf } from './apiRequest';
import { objectFilter } from './selectors';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

const defaultTimeoutSeconds = 1800;
const bookmarkIntervalMs = 30_000;

function parseStartRevision(query: URLSearchParams): number | undefined {
  const rv = query.get('resourceVersion');
  if (rv === null || rv === '' || rv === '0') return undefined;
  const n = Number(rv);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid resource version: ${rv}`);
  return n;
}

export async function watchObjects(api: ApiRequest): Promise<void> {
  const { info, target, query, res } = api;
  const filter = objectFilter(info, query);
  const namespace = target.namespace;
  const start = parseStartRevision(query);
  const sendInitial = query.get('sendInitialEvents');
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  if (sendInitial !== null && query.get('resourceVersionMatch') !== 'NotOlderThan') {
    throw badRequest(
      'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan',
    );
  }
  const initial = sendInitial === 'true' || (sendInitial === null && start === undefined);
  const table = wantsTable(api.req.headers.accept);
  let headersSent = false;
  const write = (type: EventType, object: unknown): void => {
    let payload = object;
    if (table && type !== 'ERROR') {
      const objects = type === 'BOOKMARK' ? [] : [object as KubeObject];
      payload = toTable(info.group, info.kind, objects, {
        now: api.rest.now(),
        includeObject: includeObjectOf(query),
        noHeaders: headersSent,
        resourceVersion: (object as KubeObject).metadata?.resourceVersion,
      });
      headersSent = true;
    }
    res.write(`${JSON.stringify({ type, object: payload })}\n`);
  };
  const bookmark = (revision: number, annotations?: Record<string, string>): void => {
    const metadata: KubeObject['metadata'] = { resourceVersion: String(revision) };
    if (annotations) metadata.annotations = annotations;
    write('BOOKMARK', { kind: info.kind, apiVersion: apiVersionOf(info), metadata });
  };

  // Read the starting state first so a bad request still gets a plain Status reply.
  let after = start;
  let initialObjects: KubeObject[] = [];
  if (initial) {
    const list = await api.rest.objects.list(info, namespace).catch((err) => {
      throw toApiError(err, { group: info.group, resource: info.plural }, '');
    });
    initialObjects = list.items.filter((o) => filter.matches(o));
    after = Math.max(list.revision, start ?? 0);
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  for (const obj of initialObjects) write('ADDED', obj);
  if (sendInitial === 'true') bookmark(after ?? 0, { 'k8s.io/initial-events-end': 'true' });

  let lastRevision = after ?? 0;
  const finish = (): void => {
    clearTimeout(timeout);
    clearInterval(ticker);
    watch.close();
    if (!res.writableEnded) res.end();
  };
  const onEvent = (event: ObjectEvent): void => {
    lastRevision = event.revision;
    const now = filter.matches(event.object);
    // Only a filtered watch needs the old object: a change can move it into or out of the filter.
    const previous = event.type === 'MODIFIED' && !filter.isEverything ? event.previous?.() : undefined;
    const before = previous ? filter.matches(previous) : now;
    if (event.type === 'MODIFIED' && before !== now) write(now ? 'ADDED' : 'DELETED', event.object);
    else if (now) write(event.type, event.object);
  };
  const onError = (err: Error): void => {
    // CompactedError becomes 410 Expired: clients relist.
    write('ERROR', toApiError(err, { group: info.group, resource: info.plural }, '').status);
    finish();
  };
  const watch = api.rest.objects.watch(info, namespace, after, onEvent, onError);
  const timeoutSeconds =
    Number(query.get('timeoutSeconds') ?? defaultTimeoutSeconds) || defaultTimeoutSeconds;
  const timeout = setTimeout(finish, timeoutSeconds * 1000);
  const ticker = setInterval(() => {
    if (bookmarks) bookmark(lastRevision);
  }, bookmarkIntervalMs);
  res.on('close', finish);
}
