// The endpoints of the `kube-dns` Service: every node runs a DNS server in its agent (port 53 on its
// InternalIP), so the Service has no selector and this controller lists the nodes in its Endpoints
// and EndpointSlice, ready when the node is. The Service's internalTrafficPolicy is Local, so each
// node's proxy sends pods' queries to the node's own server.

import { isDeepStrictEqual } from 'node:util';
import type { V1Endpoint, V1EndpointSlice, V1Endpoints, V1Node } from '@kubernetes/client-node';
import { kubeDnsService } from '../../api/lifecycle/builtinObjects';
import type { ControllerFactory } from '../runtime/controllerContext';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';

const managedBy = 'kubedesk-kube-dns-endpoints';
const { namespace, name } = kubeDnsService;
const key = `${namespace}/${name}`;
const ports = [
  { name: 'dns', port: 53, protocol: 'UDP' },
  { name: 'dns-tcp', port: 53, protocol: 'TCP' },
];

interface NodeEndpoint {
  node: string;
  ip: string;
  ready: boolean;
}

export function nodeEndpoints(nodes: readonly V1Node[]): NodeEndpoint[] {
  return nodes
    .flatMap((node) => {
      const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      if (!ip) return [];
      const ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      return [{ node: node.metadata?.name ?? '', ip, ready }];
    })
    .sort((a, b) => a.node.localeCompare(b.node));
}

function desiredSlice(eps: NodeEndpoint[]): Pick<V1EndpointSlice, 'endpoints' | 'ports'> {
  return {
    endpoints: eps.map(
      (ep): V1Endpoint => ({
        addresses: [ep.ip],
        conditions: { ready: ep.ready, serving: ep.ready, terminating: false },
        nodeName: ep.node,
      }),
    ),
    ports,
  };
}

function desiredSubsets(eps: NodeEndpoint[]): V1Endpoints['subsets'] {
  const address = (ep: NodeEndpoint) => ({ ip: ep.ip, nodeName: ep.node });
  const ready = eps.filter((ep) => ep.ready).map(address);
  const notReady = eps.filter((ep) => !ep.ready).map(address);
  if (eps.length === 0) return [];
  return [
    {
      ...(ready.length ? { addresses: ready } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady } : {}),
      ports,
    },
  ];
}

export const kubeDnsEndpointsController: ControllerFactory = (ctx) => {
  const nodes = ctx.informers.for(resources.nodes);
  const services = ctx.informers.for(resources.services);
  const slices = ctx.client.resource(resources.endpointSlices);
  const endpoints = ctx.client.resource(resources.endpoints);
  const controller = queueController({
    name: 'kube-dns-endpoints',
    log: ctx.log,
    reconcile: async () => {
      if (!services.get(namespace, name)) return;
      const eps = nodeEndpoints(nodes.list());
      const slice = desiredSlice(eps);
      const liveSlice = await slices.get(namespace, name);
      if (!liveSlice) {
        await slices.create({
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: {
            name,
            namespace,
            labels: {
              'kubernetes.io/service-name': name,
              'endpointslice.kubernetes.io/managed-by': managedBy,
            },
          },
          addressType: 'IPv4',
          ...slice,
        });
      } else if (!isDeepStrictEqual({ endpoints: liveSlice.endpoints, ports: liveSlice.ports }, slice)) {
        await slices.update({ ...liveSlice, ...slice });
      }
      const subsets = desiredSubsets(eps);
      const liveEndpoints = await endpoints.get(namespace, name);
      if (!liveEndpoints) {
        await endpoints.create({
          apiVersion: 'v1',
          kind: 'Endpoints',
          // Not mirrored into a second EndpointSlice: this controller writes the slice itself.
          metadata: { name, namespace, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
          subsets,
        });
      } else if (!isDeepStrictEqual(liveEndpoints.subsets ?? [], subsets)) {
        await endpoints.update({ ...liveEndpoints, subsets });
      }
    },
  });
  const wake = () => controller.queue.add(key);
  nodes.addHandlers({ onAdd: wake, onUpdate: wake, onDelete: wake });
  services.addHandlers({
    onAdd: (svc) => {
      if (svc.metadata?.namespace === namespace && svc.metadata?.name === name) wake();
    },
  });
  return controller;
};
