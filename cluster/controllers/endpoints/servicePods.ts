// What the Endpoints and EndpointSlice controllers share: which pods a Service selects, whether a
// pod can serve (an IP, not finished, Ready), which container port a service port reaches, and
// the informer wiring that turns pod changes into the keys of the Services selecting them.
// Rules from k8s.io/kubernetes pkg/api/v1/pod and k8s.io/endpointslice.

import { isDeepStrictEqual } from 'node:util';
import type { V1Pod, V1Service, V1ServicePort } from '@kubernetes/client-node';
import { labelSelectorFromObject } from '../../registry/selectors';
import type { ControllerContext } from '../runtime/controllerContext';
import { byNamespace, type Informer, namespaceIndex } from '../runtime/informer';
import { objectKey } from '../runtime/objectKey';
import { resources } from '../runtime/resources';

export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function isHeadless(svc: V1Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

/** The pod's IPv4 addresses, primary first. */
export function podIPv4s(pod: V1Pod): string[] {
  const all = pod.status?.podIPs?.map((p) => p.ip) ?? (pod.status?.podIP ? [pod.status.podIP] : []);
  return all.filter((ip) => ip.includes('.'));
}

/** ShouldPodBeInEndpoints: has an IP, is not finished for good, and (unless asked) is not terminating. */
export function shouldPodBeInEndpoints(pod: V1Pod, includeTerminating: boolean): boolean {
  if (podIPv4s(pod).length === 0) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  switch (pod.spec?.restartPolicy) {
    case 'Never':
      return phase !== 'Failed' && phase !== 'Succeeded';
    case 'OnFailure':
      return phase !== 'Succeeded';
    default:
      return true;
  }
}

/** The container port a service port reaches on this pod: a number as is, a name looked up among
 * the containers' (and restartable init containers') ports of the same protocol. */
export function findPort(pod: V1Pod, port: V1ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const protocol = port.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const container of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const p of container.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** A pod's hostname is published only for the Service named by its subdomain. */
export function publishedHostname(pod: V1Pod, svc: V1Service): string | undefined {
  const hostname = pod.spec?.hostname;
  return hostname &&
    pod.spec?.subdomain === svc.metadata?.name &&
    pod.metadata?.namespace === svc.metadata?.namespace
    ? hostname
    : undefined;
}

/** Services without a selector (or an empty one) get no endpoints from the controllers. */
export function serviceSelects(svc: V1Service): ((pod: V1Pod) => boolean) | undefined {
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return undefined;
  const matcher = labelSelectorFromObject({ matchLabels: selector });
  return (pod) => matcher.matches(pod.metadata?.labels ?? {});
}

/** The pods of `svc`'s namespace it selects. */
export function selectedPods(svc: V1Service, pods: Informer<V1Pod>): V1Pod[] {
  const selects = serviceSelects(svc);
  if (!selects) return [];
  return pods.byIndex(byNamespace, svc.metadata?.namespace ?? '').filter(selects);
}

/** The parts of a pod endpoints are made of; other changes (container statuses) wake nobody. */
function endpointView(pod: V1Pod): unknown {
  return [
    pod.metadata?.labels,
    pod.metadata?.deletionTimestamp,
    pod.status?.podIP,
    pod.status?.podIPs,
    pod.status?.phase,
    isPodReady(pod),
    pod.spec?.nodeName,
    pod.spec?.hostname,
    pod.spec?.subdomain,
  ];
}

export interface ServicePodInformers {
  services: Informer<V1Service>;
  pods: Informer<V1Pod>;
}

/** Wires service and pod events to `enqueue(serviceKey)`; pods wake the services selecting them
 * before and after the change. */
export function watchServicePods(
  ctx: ControllerContext,
  enqueue: (key: string) => void,
): ServicePodInformers {
  const services = ctx.informers.for(resources.services);
  const pods = ctx.informers.for(resources.pods);
  if (!services.hasIndex(byNamespace)) services.addIndex(byNamespace, namespaceIndex);
  if (!pods.hasIndex(byNamespace)) pods.addIndex(byNamespace, namespaceIndex);

  const wakeSelecting = (pod: V1Pod) => {
    for (const svc of services.byIndex(byNamespace, pod.metadata?.namespace ?? '')) {
      if (serviceSelects(svc)?.(pod)) enqueue(objectKey(svc));
    }
  };
  services.addHandlers({
    onAdd: (svc) => enqueue(objectKey(svc)),
    onUpdate: (_old, svc) => enqueue(objectKey(svc)),
    onDelete: (svc) => enqueue(objectKey(svc)),
  });
  pods.addHandlers({
    onAdd: wakeSelecting,
    onUpdate: (old, pod) => {
      if (old !== pod && isDeepStrictEqual(endpointView(old), endpointView(pod))) return;
      wakeSelecting(pod);
      if (!isDeepStrictEqual(old.metadata?.labels, pod.metadata?.labels)) wakeSelecting(old);
    },
    onDelete: wakeSelecting,
  });
  return { services, pods };
}
