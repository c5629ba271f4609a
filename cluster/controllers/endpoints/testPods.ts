// Test helper: pods created through the client and given the status a kubelet would report
// (Running, an IP, Ready or not), for controllers that read pod readiness.

import type { V1ContainerPort, V1OwnerReference, V1Pod } from '@kubernetes/client-node';
import type { ClusterClient } from '../runtime/clusterClient';
import { resources } from '../runtime/resources';

export interface TestPodOptions {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  ip?: string;
  ready?: boolean;
  ports?: V1ContainerPort[];
  nodeName?: string;
  hostname?: string;
  subdomain?: string;
  ownerReferences?: V1OwnerReference[];
  finalizers?: string[];
}

export async function createRunningPod(client: ClusterClient, options: TestPodOptions): Promise<V1Pod> {
  const pods = client.resource(resources.pods);
  const namespace = options.namespace ?? 'default';
  const pod: V1Pod = {
    metadata: {
      name: options.name,
      namespace,
      labels: options.labels ?? {},
      ...(options.ownerReferences ? { ownerReferences: options.ownerReferences } : {}),
      ...(options.finalizers ? { finalizers: options.finalizers } : {}),
    },
    spec: {
      containers: [{ name: 'app', image: 'registry.local/app:1', ports: options.ports ?? [] }],
      ...(options.hostname ? { hostname: options.hostname } : {}),
      ...(options.subdomain ? { subdomain: options.subdomain } : {}),
    },
  };
  await pods.create(pod);
  if (options.nodeName) await client.bind(pod, options.nodeName);
  return setPodReady(client, namespace, options.name, options.ready ?? true, options.ip);
}

/** Reports the pod Running with the given readiness (and IP, when given). */
export async function setPodReady(
  client: ClusterClient,
  namespace: string,
  name: string,
  ready: boolean,
  ip?: string,
): Promise<V1Pod> {
  const status = ready ? 'True' : 'False';
  const updated = await client.resource(resources.pods).mutate(
    namespace,
    name,
    (pod) => {
      pod.status = {
        ...pod.status,
        phase: 'Running',
        ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Initialized', status: 'True' },
          { type: 'ContainersReady', status },
          { type: 'Ready', status },
        ],
      };
      return pod;
    },
    { subresource: 'status' },
  );
  if (!updated) throw new Error(`pod ${namespace}/${name} is gone`);
  return updated;
}
