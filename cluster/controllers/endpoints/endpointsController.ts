// The endpoints controller: for every Service with a selector, an Endpoints object of the same
// name lists the selected pods' addresses, ready or not, with the ports their containers offer.
// Services without a selector are left to whoever writes their Endpoints; a deleted Service takes
// its Endpoints with it. Over 1000 addresses the object is truncated and annotated, as Kubernetes
// does (EndpointSlices carry the full set).
// https://kubernetes.io/docs/concepts/services-networking/service/#endpoints

import { isDeepStrictEqual } from 'node:util';
import type { V1EndpointSubset, V1Endpoints, V1Service } from '@kubernetes/client-node';
import { isApiError } from '../../api/status';
import type { ControllerFactory } from '../runtime/controllerContext';
import { splitKey } from '../runtime/objectKey';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { endpointSubsets } from './endpointSubsets';
import { isHeadless, selectedPods, serviceSelects, watchServicePods } from './servicePods';

const headlessLabel = 'service.kubernetes.io/headless';
const overCapacityAnnotation = 'endpoints.kubernetes.io/over-capacity';
const maxEndpointsPerObject = 1000;

function serviceDerivedLabels(svc: V1Service): Record<string, string> {
  const labels: Record<string, string> = { ...svc.metadata?.labels };
  if (isHeadless(svc)) labels[headlessLabel] = '';
  else delete labels[headlessLabel];
  return labels;
}

/** Keeps the first `max` addresses, ready ones first; true when something was cut. */
function truncate(subsets: V1EndpointSubset[], max: number): boolean {
  let room = max;
  let cut = false;
  for (const field of ['addresses', 'notReadyAddresses'] as const) {
    for (const subset of subsets) {
      const list = subset[field];
      if (!list) continue;
      if (list.length > room) {
        cut = true;
        if (room === 0) delete subset[field];
        else subset[field] = list.slice(0, room);
      }
      room -= subset[field]?.length ?? 0;
    }
  }
  return cut;
}

export const endpointsController: ControllerFactory = (ctx) => {
  const endpoints = ctx.informers.for(resources.endpoints);
  const client = ctx.client.resource(resources.endpoints);
  const controller = queueController({
    name: 'endpoints',
    log: ctx.log,
    reconcile: async (key) => {
      const { namespace, name } = splitKey(key);
      const svc = informers.services.get(namespace, name);
      if (!svc) {
        await client.delete(namespace, name);
        return;
      }
      if (!serviceSelects(svc)) return;
      const subsets = endpointSubsets(svc, selectedPods(svc, informers.pods)).filter(
        (s) => s.addresses || s.notReadyAddresses,
      );
      const truncated = truncate(subsets, maxEndpointsPerObject);
      const labels = serviceDerivedLabels(svc);
      const desired = (current: V1Endpoints | undefined): V1Endpoints => {
        const annotations = { ...current?.metadata?.annotations };
        if (truncated) annotations[overCapacityAnnotation] = 'truncated';
        else delete annotations[overCapacityAnnotation];
        const metadata = { ...current?.metadata, name, namespace, labels };
        if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
        else delete metadata.annotations;
        return { ...current, metadata, subsets };
      };
      const existing = endpoints.get(namespace, name);
      if (
        existing &&
        isDeepStrictEqual(existing.subsets ?? [], subsets) &&
        isDeepStrictEqual(existing.metadata?.labels ?? {}, labels) &&
        (existing.metadata?.annotations?.[overCapacityAnnotation] === 'truncated') === truncated
      ) {
        return;
      }
      if (!existing) {
        try {
          await client.create(desired(undefined));
          return;
        } catch (err) {
          // Created meanwhile (our cache lagged) or the namespace is going: update, or give up.
          if (isApiError(err) && err.code === 403) return;
          if (!isApiError(err) || err.code !== 409) throw err;
        }
      }
      await client.mutate(namespace, name, (live) => desired(live));
    },
  });
  const informers = watchServicePods(ctx, (key) => controller.queue.add(key));
  endpoints.addHandlers({
    // Someone deleted or rewrote our Endpoints: put them back.
    onUpdate: (_old, ep) => {
      if (informers.services.get(ep.metadata?.namespace, ep.metadata?.name ?? '')) {
        controller.queue.add(`${ep.metadata?.namespace}/${ep.metadata?.name}`);
      }
    },
    onDelete: (ep) => {
      if (informers.services.get(ep.metadata?.namespace, ep.metadata?.name ?? '')) {
        controller.queue.add(`${ep.metadata?.namespace}/${ep.metadata?.name}`);
      }
    },
  });
  return controller;
};
