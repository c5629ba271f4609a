// The EndpointSlice controller: for every Service with a selector, EndpointSlices labelled
// `kubernetes.io/service-name` and managed by `endpointslice-controller.k8s.io`, owned by the
// Service (the garbage collector removes them with it), listing the selected pods with their
// ready/serving/terminating conditions. Slices it does not manage are never touched.
//
// Slices get generated names, so a reconcile must not trust a cache that has not yet seen its own
// last writes (it would create duplicates): writes are remembered until the informer shows them,
// as Kubernetes' EndpointSliceTracker does.

import type { V1EndpointSlice } from '@kubernetes/client-node';
import { isApiError } from '../../api/status';
import { selectedPods, serviceSelects, watchServicePods } from '../endpoints/servicePods';
import type { ControllerFactory } from '../runtime/controllerContext';
import { splitKey } from '../runtime/objectKey';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import {
  controllerName,
  desiredEndpointGroups,
  managedByLabel,
  planSlices,
  serviceNameLabel,
} from './endpointSlicePlan';

const byService = 'endpointslice-controller/service';
/** A write the cache never reflects (lost event) stops blocking after this long. */
const expectationTtlMs = 10_000;

function serviceKeyOf(slice: V1EndpointSlice): string | undefined {
  const labels = slice.metadata?.labels ?? {};
  const service = labels[serviceNameLabel];
  return service && labels[managedByLabel] === controllerName
    ? `${slice.metadata?.namespace}/${service}`
    : undefined;
}

export const endpointSliceController: ControllerFactory = (ctx) => {
  const slices = ctx.informers.for(resources.endpointSlices);
  const nodes = ctx.informers.for(resources.nodes);
  const client = ctx.client.resource(resources.endpointSlices);
  if (!slices.hasIndex(byService)) slices.addIndex(byService, (s) => [serviceKeyOf(s) ?? ''].filter(Boolean));
  /** serviceKey → slice name → resourceVersion written (or 'deleted'), with when. */
  const expected = new Map<string, Map<string, { rv: string; at: number }>>();

  function expect(serviceKey: string, name: string, rv: string): void {
    // The informer may have delivered the write before the call returned.
    const cached = slices.get(splitKey(serviceKey).namespace, name);
    const seen = rv === 'deleted' ? !cached : Number(cached?.metadata?.resourceVersion ?? 0) >= Number(rv);
    if (seen) return;
    let names = expected.get(serviceKey);
    if (!names) {
      names = new Map();
      expected.set(serviceKey, names);
    }
    names.set(name, { rv, at: Date.now() });
  }

  function observed(slice: V1EndpointSlice, deleted: boolean): void {
    const key = serviceKeyOf(slice);
    const names = key ? expected.get(key) : undefined;
    const want = names?.get(slice.metadata?.name ?? '');
    if (!key || !names || !want) return;
    const seen = Number(slice.metadata?.resourceVersion ?? 0);
    if (deleted || (want.rv !== 'deleted' && seen >= Number(want.rv)))
      names.delete(slice.metadata?.name ?? '');
    if (names.size === 0) expected.delete(key);
  }

  function cacheCaughtUp(serviceKey: string): boolean {
    const names = expected.get(serviceKey);
    if (!names) return true;
    for (const [name, { at }] of names) if (Date.now() - at > expectationTtlMs) names.delete(name);
    return names.size === 0;
  }

  const controller = queueController({
    name: 'endpointslice',
    log: ctx.log,
    reconcile: async (key) => {
      const { namespace, name } = splitKey(key);
      const svc = informers.services.get(namespace, name);
      // A deleted Service's slices go with it through their owner reference.
      if (!svc || !serviceSelects(svc)) return;
      if (!cacheCaughtUp(key)) return { requeueAfterMs: 100 };
      const groups = desiredEndpointGroups(svc, selectedPods(svc, informers.pods), (n) =>
        nodes.get(undefined, n),
      );
      const plan = planSlices(svc, groups, slices.byIndex(byService, key));
      // Creates and updates before deletes, so traffic never sees a gap.
      for (const slice of plan.create) {
        try {
          const written = await client.create(slice);
          expect(key, written.metadata?.name ?? '', written.metadata?.resourceVersion ?? '0');
        } catch (err) {
          // The namespace is terminating: its slices are going anyway.
          if (isApiError(err) && err.code === 403) return;
          throw err;
        }
      }
      for (const slice of plan.update) {
        const written = await client.update(slice);
        expect(key, written.metadata?.name ?? '', written.metadata?.resourceVersion ?? '0');
      }
      for (const slice of plan.delete) {
        const sliceName = slice.metadata?.name ?? '';
        await client.delete(namespace, sliceName, { preconditions: { uid: slice.metadata?.uid } });
        expect(key, sliceName, 'deleted');
      }
    },
  });
  const informers = watchServicePods(ctx, (key) => controller.queue.add(key));
  const wake = (slice: V1EndpointSlice) => {
    const key = serviceKeyOf(slice);
    if (key) controller.queue.add(key);
  };
  slices.addHandlers({
    onAdd: (s) => {
      observed(s, false);
      wake(s);
    },
    onUpdate: (_old, s) => {
      observed(s, false);
      wake(s);
    },
    onDelete: (s) => {
      observed(s, true);
      wake(s);
    },
  });
  // A node's zone appears in its pods' endpoints.
  nodes.addHandlers({
    onUpdate: (old, node) => {
      const zone = 'topology.kubernetes.io/zone';
      if (old.metadata?.labels?.[zone] === node.metadata?.labels?.[zone]) return;
      for (const svc of informers.services.list())
        controller.queue.add(`${svc.metadata?.namespace}/${svc.metadata?.name}`);
    },
  });
  return controller;
};
