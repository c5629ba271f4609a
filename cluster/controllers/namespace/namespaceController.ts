// The namespace controller: once a namespace is Terminating, it deletes everything the namespace
// holds, reports progress in status conditions, and when nothing is left removes the `kubernetes`
// finalizer from spec.finalizers, which lets the API server remove the namespace.
// https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
//
// Deletion waits `finalizeDelayMs` after the namespace is first seen Terminating (Kubernetes waits
// 5 s), so clients deleting the contents themselves (`kubectl delete -f` listing the namespace
// first) still find them. Deletions of content wake the controller; a slow retry covers the rest.

import type { V1Namespace } from '@kubernetes/client-node';
import type { ApiObject } from '../runtime/apiObject';
import type { ControllerFactory } from '../runtime/controllerContext';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { type ContentOutcome, namespaceConditions } from './namespaceConditions';
import { deleteNamespaceContent, namespacedContentResources } from './namespaceContent';

export interface NamespaceControllerOptions {
  /** Wait after a namespace turns Terminating before deleting its content; default 500 ms. */
  finalizeDelayMs?: number;
}

/** The finalizer this controller owns in spec.finalizers. */
export const namespaceFinalizer = 'kubernetes';
const defaultFinalizeDelayMs = 500;
/** Retry while content remains that no watched deletion will announce (e.g. a stuck finalizer). */
const remainingRetryMs = 5_000;

export function namespaceController(options: NamespaceControllerOptions = {}): ControllerFactory {
  const delayMs = options.finalizeDelayMs ?? defaultFinalizeDelayMs;
  return (ctx) => {
    const informer = ctx.informers.for(resources.namespaces);
    const namespaces = ctx.client.resource(resources.namespaces);
    const content = namespacedContentResources(ctx.client.rest.catalog);
    /** When each Terminating namespace was first seen so (wall clock: it drives queue timers). */
    const terminatingSince = new Map<string, number>();

    const controller = queueController({
      name: 'namespace',
      log: ctx.log,
      reconcile: async (name) => {
        const cached = informer.get(undefined, name);
        const since = terminatingSince.get(name);
        if (!cached?.metadata?.deletionTimestamp || since === undefined) return;
        const wait = since + delayMs - Date.now();
        if (wait > 0) return { requeueAfterMs: wait };
        const live = await namespaces.get(undefined, name);
        if (!live?.metadata?.deletionTimestamp || live.metadata.uid !== cached.metadata.uid) return;
        if (!(live.spec?.finalizers ?? []).includes(namespaceFinalizer)) return;
        const outcome = await deleteNamespaceContent(ctx.client, content, name);
        await recordProgress(name, outcome);
        if (outcome.failures.length > 0) throw new Error(outcome.failures.join('; '));
        if (outcome.remaining.size > 0) return { requeueAfterMs: remainingRetryMs };
        await namespaces.mutate(undefined, name, (ns) => {
          const finalizers = ns.spec?.finalizers ?? [];
          if (!finalizers.includes(namespaceFinalizer)) return undefined;
          ns.spec = { ...ns.spec, finalizers: finalizers.filter((f) => f !== namespaceFinalizer) };
          return ns;
        });
      },
    });

    async function recordProgress(name: string, outcome: ContentOutcome): Promise<void> {
      await namespaces.mutate(
        undefined,
        name,
        (ns) => {
          const conditions = namespaceConditions(ns.status?.conditions ?? [], outcome, ctx.clock.now());
          if (!conditions && ns.status?.phase === 'Terminating') return undefined;
          ns.status = { ...ns.status, phase: 'Terminating' };
          if (conditions) ns.status.conditions = conditions;
          return ns;
        },
        { subresource: 'status' },
      );
    }

    function enqueue(name: string): void {
      const since = terminatingSince.get(name);
      if (since !== undefined) controller.queue.addAfter(name, since + delayMs - Date.now());
    }

    function observe(ns: V1Namespace): void {
      const name = ns.metadata?.name;
      if (!name || !ns.metadata?.deletionTimestamp) return;
      if (!terminatingSince.has(name)) terminatingSince.set(name, Date.now());
      enqueue(name);
    }

    informer.addHandlers({
      onAdd: observe,
      onUpdate: (_old, ns) => observe(ns),
      onDelete: (ns) => terminatingSince.delete(ns.metadata?.name ?? ''),
    });
    // Content going away may be the last thing a Terminating namespace waits for. Events are not
    // watched (too many to cache); they never hold a namespace up.
    for (const info of content) {
      if (info.plural === 'events' || !info.verbs.includes('watch')) continue;
      ctx.informers
        .for<ApiObject>({ group: info.group, version: info.version, plural: info.plural })
        .addHandlers({
          onDelete: (obj) => {
            if (obj.metadata?.namespace) enqueue(obj.metadata.namespace);
          },
        });
    }
    return controller;
  };
}
