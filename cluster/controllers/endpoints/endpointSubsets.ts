// The subsets of a Service's Endpoints object, as the endpoints controller computes them: one
// address per serving pod (ready ones in `addresses`, others in `notReadyAddresses` unless the
// Service publishes not-ready addresses), grouped by the ports they resolve to, sorted so that the
// same pods always give the same object (RepackSubsets).

import type {
  CoreV1EndpointPort,
  V1EndpointAddress,
  V1EndpointSubset,
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
} from './servicePods';

/** The endpoint ports `pod` offers for `svc`'s ports; ports it cannot resolve are left out. */
function endpointPorts(svc: V1Service, pod: V1Pod): CoreV1EndpointPort[] {
  const out: CoreV1EndpointPort[] = [];
  for (const port of svc.spec?.ports ?? []) {
    const number = findPort(pod, port);
    if (number === undefined) continue;
    const endpointPort: CoreV1EndpointPort = { port: number, protocol: port.protocol ?? 'TCP' };
    if (port.name) endpointPort.name = port.name;
    if (port.appProtocol) endpointPort.appProtocol = port.appProtocol;
    out.push(endpointPort);
  }
  return out;
}

function compareAddresses(a: V1EndpointAddress, b: V1EndpointAddress): number {
  return a.ip.localeCompare(b.ip) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');
}

export function endpointSubsets(svc: V1Service, pods: readonly V1Pod[]): V1EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const portless = (svc.spec?.ports ?? []).length === 0;
  // A Service without ports gets endpoints only when headless (DNS records without ports).
  if (portless && !isHeadless(svc)) return [];
  const groups = new Map<
    string,
    { ports: CoreV1EndpointPort[]; ready: V1EndpointAddress[]; notReady: V1EndpointAddress[] }
  >();
  for (const pod of pods) {
    const ip = podIPv4s(pod)[0];
    if (ip === undefined || !shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ports = endpointPorts(svc, pod);
    if (!portless && ports.length === 0) continue;
    const address: V1EndpointAddress = {
      ip,
      targetRef: {
        kind: 'Pod',
        namespace: pod.metadata?.namespace ?? '',
        name: pod.metadata?.name ?? '',
        uid: pod.metadata?.uid ?? '',
      },
    };
    if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
    const hostname = publishedHostname(pod, svc);
    if (hostname) address.hostname = hostname;
    ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const key = JSON.stringify(ports);
    let group = groups.get(key);
    if (!group) {
      group = { ports, ready: [], notReady: [] };
      groups.set(key, group);
    }
    (publishNotReady || isPodReady(pod) ? group.ready : group.notReady).push(address);
  }
  return [...groups.keys()].sort().map((key) => {
    const { ports, ready, notReady } = groups.get(key) as NonNullable<ReturnType<typeof groups.get>>;
    const subset: V1EndpointSubset = {};
    if (ready.length > 0) subset.addresses = ready.sort(compareAddresses);
    if (notReady.length > 0) subset.notReadyAddresses = notReady.sort(compareAddresses);
    if (ports.length > 0) subset.ports = ports;
    return subset;
  });
}
