// What the EndpointSlice controller writes for one Service, as a pure plan: the desired endpoints
// (one per serving pod, with ready/serving/terminating conditions) grouped by the ports they
// resolve to, packed into slices of at most 100 endpoints, reusing existing slices so that one
// pod's change touches one slice. With nothing to publish, a Service keeps one empty placeholder.
// https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/

import { isDeepStrictEqual } from 'node:util';
import type {
  DiscoveryV1EndpointPort,
  V1Endpoint,
  V1EndpointSlice,
  V1Node,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';
import {
  findPort,
  isHeadless,
  isPodReady,
  podIPv4s,
  publishedHostname,
  shouldPodBeInEndpoints,
} from '../endpoints/servicePods';
import { controllerRef } from '../runtime/ownerReferences';

export const serviceNameLabel = 'kubernetes.io/service-name';
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const controllerName = 'endpointslice-controller.k8s.io';
const headlessLabel = 'service.kubernetes.io/headless';
const zoneLabel = 'topology.kubernetes.io/zone';
const maxEndpointsPerSlice = 100;

export interface EndpointGroup {
  ports: DiscoveryV1EndpointPort[];
  endpoints: V1Endpoint[];
}

export interface SlicePlan {
  create: V1EndpointSlice[];
  update: V1EndpointSlice[];
  delete: V1EndpointSlice[];
}

function portKey(ports: readonly DiscoveryV1EndpointPort[]): string {
  const sorted = ports
    .map((p) => ({
      name: p.name ?? '',
      port: p.port ?? 0,
      protocol: p.protocol ?? 'TCP',
      appProtocol: p.appProtocol,
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.port - b.port || a.protocol.localeCompare(b.protocol));
  return JSON.stringify(sorted);
}

function endpointKey(ep: V1Endpoint): string {
  return ep.targetRef?.uid || ep.addresses.join(',');
}

function slicePorts(svc: V1Service, pod: V1Pod): DiscoveryV1EndpointPort[] {
  const out: DiscoveryV1EndpointPort[] = [];
  for (const port of svc.spec?.ports ?? []) {
    const number = findPort(pod, port);
    if (number === undefined) continue;
    const slicePort: DiscoveryV1EndpointPort = {
      name: port.name ?? '',
      port: number,
      protocol: port.protocol ?? 'TCP',
    };
    if (port.appProtocol) slicePort.appProtocol = port.appProtocol;
    out.push(slicePort);
  }
  return out;
}

/** The endpoints `svc` should publish, grouped by port set (key: portKey). */
export function desiredEndpointGroups(
  svc: V1Service,
  pods: readonly V1Pod[],
  node: (name: string) => V1Node | undefined,
): Map<string, EndpointGroup> {
  const groups = new Map<string, EndpointGroup>();
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  for (const pod of pods) {
    const addresses = podIPv4s(pod);
    if (addresses.length === 0 || !shouldPodBeInEndpoints(pod, true)) continue;
    const serving = isPodReady(pod);
    const terminating = Boolean(pod.metadata?.deletionTimestamp);
    const endpoint: V1Endpoint = {
      addresses,
      // "ready" is never true for a terminating pod, unless the Service publishes not-ready ones.
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
      targetRef: {
        kind: 'Pod',
        namespace: pod.metadata?.namespace ?? '',
        name: pod.metadata?.name ?? '',
        uid: pod.metadata?.uid ?? '',
      },
    };
    const nodeName = pod.spec?.nodeName;
    if (nodeName) {
      endpoint.nodeName = nodeName;
      const zone = node(nodeName)?.metadata?.labels?.[zoneLabel];
      if (zone) endpoint.zone = zone;
    }
    const hostname = publishedHostname(pod, svc);
    if (hostname) endpoint.hostname = hostname;
    const ports = (svc.spec?.ports ?? []).length === 0 && isHeadless(svc) ? [] : slicePorts(svc, pod);
    const key = portKey(ports);
    let group = groups.get(key);
    if (!group) {
      group = { ports, endpoints: [] };
      groups.set(key, group);
    }
    group.endpoints.push(endpoint);
  }
  return groups;
}

/** Service labels (minus the reserved ones) plus the service name, manager and headless marker. */
function sliceLabels(svc: V1Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(svc.metadata?.labels ?? {})) {
    if (key !== serviceNameLabel && key !== managedByLabel && key !== headlessLabel) labels[key] = value;
  }
  if (isHeadless(svc) || !svc.spec?.clusterIP) labels[headlessLabel] = '';
  labels[serviceNameLabel] = svc.metadata?.name ?? '';
  labels[managedByLabel] = controllerName;
  return labels;
}

function newSlice(
  svc: V1Service,
  ports: DiscoveryV1EndpointPort[],
  endpoints: V1Endpoint[],
): V1EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata?.name}-`,
      namespace: svc.metadata?.namespace,
      labels: sliceLabels(svc),
      ownerReferences: [controllerRef(svc, 'v1', 'Service')],
    },
    addressType: 'IPv4',
    ports,
    endpoints,
  };
}

function ownedBy(slice: V1EndpointSlice, svc: V1Service): boolean {
  return (slice.metadata?.ownerReferences ?? []).some(
    (r) => r.uid === svc.metadata?.uid && r.kind === 'Service' && r.apiVersion === 'v1',
  );
}

const byTarget = (a: V1Endpoint, b: V1Endpoint) =>
  (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? '');

export function planSlices(
  svc: V1Service,
  groups: Map<string, EndpointGroup>,
  existing: readonly V1EndpointSlice[],
  maxPerSlice = maxEndpointsPerSlice,
): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const labels = sliceLabels(svc);
  const owned: V1EndpointSlice[] = [];
  for (const slice of existing) {
    // Slices of a deleted namesake Service, or of another address family, are not ours to keep.
    if (ownedBy(slice, svc) && slice.addressType === 'IPv4') owned.push(slice);
    else plan.delete.push(slice);
  }
  const byPorts = new Map<string, V1EndpointSlice[]>();
  for (const slice of owned) {
    const key = portKey(slice.ports ?? []);
    byPorts.set(key, [...(byPorts.get(key) ?? []), slice]);
  }
  for (const [key, slices] of byPorts) if (!groups.has(key)) plan.delete.push(...slices);

  for (const [key, group] of groups) {
    const wanted = new Map(group.endpoints.map((ep) => [endpointKey(ep), ep]));
    const changed: V1EndpointSlice[] = [];
    const unchanged: V1EndpointSlice[] = [];
    for (const slice of byPorts.get(key) ?? []) {
      const kept: V1Endpoint[] = [];
      let dirty = !isDeepStrictEqual(slice.metadata?.labels ?? {}, labels);
      for (const ep of slice.endpoints ?? []) {
        const want = wanted.get(endpointKey(ep));
        if (!want) {
          dirty = true;
          continue;
        }
        if (!isDeepStrictEqual(want, ep)) dirty = true;
        kept.push(want);
        wanted.delete(endpointKey(ep));
      }
      if (dirty && kept.length === 0) plan.delete.push(slice);
      else if (dirty) changed.push({ ...slice, metadata: { ...slice.metadata, labels }, endpoints: kept });
      else unchanged.push(slice);
    }
    const remaining = [...wanted.values()].sort(byTarget);
    // New endpoints go first into slices being rewritten anyway, then into untouched ones with
    // room (fewest writes), then into new slices.
    for (const slice of changed)
      slice.endpoints.push(...remaining.splice(0, maxPerSlice - slice.endpoints.length));
    for (const slice of unchanged) {
      const room = maxPerSlice - (slice.endpoints ?? []).length;
      if (remaining.length === 0 || room <= 0) continue;
      changed.push({
        ...slice,
        metadata: { ...slice.metadata, labels },
        endpoints: [...(slice.endpoints ?? []), ...remaining.splice(0, room)],
      });
    }
    plan.update.push(...changed);
    while (remaining.length > 0)
      plan.create.push(newSlice(svc, group.ports, remaining.splice(0, maxPerSlice)));
  }

  // A Service with nothing to publish keeps exactly one empty slice.
  const deletedOwned = plan.delete.filter((s) => owned.includes(s));
  if (plan.create.length === 0 && deletedOwned.length === owned.length) {
    const placeholder = deletedOwned.find(
      (s) =>
        (s.ports ?? []).length === 0 &&
        (s.endpoints ?? []).length === 0 &&
        isDeepStrictEqual(s.metadata?.labels ?? {}, labels),
    );
    if (placeholder) plan.delete = plan.delete.filter((s) => s !== placeholder);
    else plan.create.push(newSlice(svc, [], []));
  }
  return plan;
}
