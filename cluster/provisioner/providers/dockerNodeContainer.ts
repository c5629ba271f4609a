import type Docker from 'dockerode';
import { labelKeys } from '../labels';
import type { NodeHandle, NodeSecurityMode, NodeSpec } from './nodeProvider';

// How a planned node becomes a container: create options per security mode, and back to a handle.

function securityConfig(spec: NodeSpec, mode: NodeSecurityMode): Docker.HostConfig {
  const common: Docker.HostConfig = {
    Binds: [`${spec.volume}:/var/lib/docker`],
    Tmpfs: { '/run': 'rw,exec', '/tmp': 'rw,exec' },
  };
  if (mode === 'privileged') {
    // A private cgroup namespace lets the inner dockerd manage its own cgroups, as kind does.
    const privileged: Docker.HostConfig & { CgroupnsMode?: string } = {
      ...common,
      Privileged: true,
      CgroupnsMode: 'private',
    };
    return privileged;
  }
  // What works where `--privileged` is refused (see DESIGN.md, "Floors measured on these machines").
  return {
    ...common,
    Binds: [...(common.Binds ?? []), '/sys/fs/cgroup:/sys/fs/cgroup:rw'],
    CapAdd: ['ALL'],
    CapDrop: ['SYS_RESOURCE'],
    SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
    // `--security-opt systempaths=unconfined` is client-side sugar for these two empty lists.
    MaskedPaths: [],
    ReadonlyPaths: [],
    DeviceCgroupRules: ['a *:* rwm'],
  };
}

/** Create options for a node container: fixed IP, kubelet port on 127.0.0.1 only, labels as state. */
export function nodeContainerOptions(
  spec: NodeSpec,
  securityMode: NodeSecurityMode,
  stopTimeoutSeconds: number,
): Docker.ContainerCreateOptions {
  const port = `${spec.kubeletPort}/tcp`;
  return {
    name: spec.name,
    Hostname: spec.hostname,
    Image: spec.image,
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    Labels: { ...spec.labels, [labelKeys.mode]: securityMode },
    ExposedPorts: { [port]: {} },
    StopTimeout: stopTimeoutSeconds,
    HostConfig: {
      ...securityConfig(spec, securityMode),
      NetworkMode: spec.network,
      ExtraHosts: spec.extraHosts,
      PortBindings: { [port]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
      RestartPolicy: { Name: 'no' },
    },
    NetworkingConfig: {
      EndpointsConfig: { [spec.network]: { IPAMConfig: { IPv4Address: spec.ip }, Aliases: [spec.name] } },
    },
  };
}

export function toHandle(info: Docker.ContainerInspectInfo): NodeHandle {
  const labels = info.Config.Labels ?? {};
  const ports = info.NetworkSettings.Ports ?? {};
  const published = Object.values(ports)
    .flatMap((bindings) => bindings ?? [])
    .find((binding) => binding.HostIp === '127.0.0.1');
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    cluster: labels[labelKeys.cluster] ?? '',
    index: Number(labels[labelKeys.nodeIndex]),
    image: info.Config.Image,
    ip: labels[labelKeys.nodeIp] ?? '',
    podCidr: labels[labelKeys.podCidr] ?? '',
    volume: labels[labelKeys.volume] ?? '',
    running: info.State.Running,
    mode: labels[labelKeys.mode] === 'privileged' ? 'privileged' : 'capabilities',
    ...(published?.HostPort ? { kubeletHostPort: Number(published.HostPort) } : {}),
    labels,
  };
}
