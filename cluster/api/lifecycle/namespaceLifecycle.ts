// A small in-process namespace controller: gives each new namespace its `default` ServiceAccount
// and the `kube-root-ca.crt` ConfigMap (as kube-controller-manager's root-ca-cert-publisher does),
// and finalizes deleted namespaces (delete their contents, then the namespace itself).
// A controllers issue will move this onto the shared controller runtime.

import type { V1Namespace } from '@kubernetes/client-node';
import type { Logger } from '../../log';
import { builtinCatalog } from '../../registry/builtinResources';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import { KeyNotFoundError } from '../../store/errors';
import type { Watch } from '../../store/store';
import { createObject } from '../rest/createObject';
import { deleteObject } from '../rest/deleteObject';
import type { RestContext } from '../rest/restContext';
import { ignoreDone, storedResources } from './storedResources';

const namespaces = builtinCatalog.lookup('', 'v1', 'namespaces') as ResourceInfo;
const serviceAccounts = builtinCatalog.lookup('', 'v1', 'serviceaccounts') as ResourceInfo;
const configMaps = builtinCatalog.lookup('', 'v1', 'configmaps') as ResourceInfo;
const rootCaName = 'kube-root-ca.crt';
const retryMs = 200;
/** Time a deleted namespace's contents stay, so clients deleting them too (`kubectl delete -f` with the
 * namespace listed first) find them, as with kube-controller-manager's namespace queue. */
const defaultFinalizeDelayMs = 500;

function first(set: Set<string>): string | undefined {
  return set.values().next().value;
}

export interface NamespaceLifecycle {
  stop(): void;
}

export interface NamespaceLifecycleOptions {
  log?: Logger;
  finalizeDelayMs?: number;
  /** PEM of the cluster CA, published to every namespace as ConfigMap kube-root-ca.crt. */
  rootCaCert?: string;
}

export async function startNamespaceLifecycle(
  rest: RestContext,
  options: NamespaceLifecycleOptions = {},
): Promise<NamespaceLifecycle> {
  const { log, finalizeDelayMs = defaultFinalizeDelayMs, rootCaCert } = options;
  const pending = new Set<string>();
  const terminatingSince = new Map<string, number>();
  let running = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function ensureNamespaceObjects(ns: string): Promise<void> {
    if (!(await rest.objects.get(serviceAccounts, ns, 'default'))) {
      await createObject(rest, serviceAccounts, ns, { metadata: { name: 'default' } }).catch(ignoreDone);
    }
    if (rootCaCert && !(await rest.objects.get(configMaps, ns, rootCaName))) {
      const configMap = { metadata: { name: rootCaName }, data: { 'ca.crt': rootCaCert } };
      await createObject(rest, configMaps, ns, configMap).catch(ignoreDone);
    }
  }

  /** Returns true when the namespace is gone. */
  async function finalize(ns: V1Namespace): Promise<boolean> {
    const name = ns.metadata?.name ?? '';
    // Measured from when we first saw it terminating: deletionTimestamp has whole seconds only.
    const since = terminatingSince.get(name) ?? Date.now();
    terminatingSince.set(name, since);
    if (Date.now() - since < finalizeDelayMs) return false;
    let remaining = 0;
    for (const info of storedResources(rest.catalog).filter((r) => r.namespaced)) {
      const { items } = await rest.objects.list(info, name);
      for (const obj of items) {
        remaining++;
        if (obj.metadata?.deletionTimestamp) continue;
        await deleteObject(rest, info, name, obj.metadata?.name ?? '', {
          propagationPolicy: 'Background',
        }).catch(ignoreDone);
      }
    }
    if (remaining > 0) return false;
    await rest.objects.delete(namespaces, undefined, name).catch((err: unknown) => {
      if (!(err instanceof KeyNotFoundError)) throw err;
    });
    terminatingSince.delete(name);
    return true;
  }

  async function reconcile(name: string): Promise<boolean> {
    const ns = (await rest.objects.get(namespaces, undefined, name)) as V1Namespace | undefined;
    if (!ns) return true;
    if (ns.metadata?.deletionTimestamp) return finalize(ns);
    await ensureNamespaceObjects(name);
    return true;
  }

  async function drain(): Promise<void> {
    if (running || stopped) return;
    running = true;
    const retry = new Set<string>();
    try {
      for (let name = first(pending); name !== undefined && !stopped; name = first(pending)) {
        pending.delete(name);
        const done = await reconcile(name).catch((err: unknown) => {
          log?.error('namespace reconcile failed', { namespace: name, error: String(err) });
          return false;
        });
        if (!done) retry.add(name);
      }
    } finally {
      running = false;
    }
    for (const name of retry) pending.add(name);
    if (pending.size > 0 && !stopped) timer = setTimeout(() => void drain(), retryMs);
  }

  function enqueue(name: string | undefined): void {
    if (!name) return;
    pending.add(name);
    void drain();
  }

  const list = await rest.objects.list(namespaces, undefined);
  for (const ns of list.items) enqueue(ns.metadata?.name);
  let watch: Watch;
  const startWatch = (after: number): void => {
    watch = rest.objects.watch(
      namespaces,
      undefined,
      after,
      (event) => {
        if (event.type !== 'DELETED') enqueue(event.object.metadata?.name);
      },
      (err) => {
        if (stopped) return;
        log?.error('namespace watch ended', { error: String(err) });
        void rest.objects.store
          .currentRevision()
          .then(startWatch, (cause: unknown) =>
            log?.error('namespace watch not restarted', { error: String(cause) }),
          );
      },
    );
  };
  startWatch(list.revision);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      watch.close();
    },
  };
}
