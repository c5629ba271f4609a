import type Docker from 'dockerode';
import { labelKeys } from '../labels';
import { forwarderEnv, forwarderSource } from './forwarderProgram';
import type { ForwarderPlan } from './planExposure';

// How a planned forwarder becomes a container: the node image running the forwarder program, on
// the cluster network (where node IPs are reachable on every engine, Docker Desktop included),
// its port published on the host's loopback only. Labels carry what the next sync compares.

export const forwarderRole = 'service-forwarder';

export const forwarderLabels = {
  service: 'kubedesk.io/service',
  serviceUid: 'kubedesk.io/service-uid',
  specHash: 'kubedesk.io/forwarder-spec',
  hostPort: 'kubedesk.io/host-port',
} as const;

/** A forwarder container as the engine lists it. */
export interface ForwarderContainer {
  id: string;
  name: string;
  specHash: string;
  running: boolean;
}

export const publishedPort = (plan: Pick<ForwarderPlan, 'hostPort' | 'protocol'>) =>
  `${plan.hostPort}/${plan.protocol.toLowerCase()}`;

export function forwarderContainerOptions(plan: ForwarderPlan): Docker.ContainerCreateOptions {
  const env = forwarderEnv({ protocol: plan.protocol, listenPort: plan.hostPort, targets: plan.targets });
  const port = publishedPort(plan);
  return {
    name: plan.name,
    Image: plan.image,
    Entrypoint: ['node', '-e', forwarderSource],
    Cmd: [],
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    Labels: {
      [labelKeys.cluster]: plan.cluster,
      [labelKeys.role]: forwarderRole,
      [forwarderLabels.service]: `${plan.service.namespace}/${plan.service.name}`,
      [forwarderLabels.serviceUid]: plan.service.uid,
      [forwarderLabels.specHash]: plan.specHash,
      [forwarderLabels.hostPort]: port,
    },
    ExposedPorts: { [port]: {} },
    StopTimeout: 1,
    HostConfig: {
      NetworkMode: plan.network,
      PortBindings: { [port]: [{ HostIp: '127.0.0.1', HostPort: String(plan.hostPort) }] },
      RestartPolicy: { Name: 'no' },
    },
  };
}

export const toForwarderContainer = (info: Docker.ContainerInfo): ForwarderContainer => ({
  id: info.Id,
  name: info.Names[0]?.replace(/^\//, '') ?? '',
  specHash: info.Labels[forwarderLabels.specHash] ?? '',
  running: info.State === 'running',
});
