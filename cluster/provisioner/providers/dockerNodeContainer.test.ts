import { describe, expect, it } from 'vitest';
import { planNode } from '../planNodes';
import { nodeContainerOptions } from './dockerNodeContainer';

const spec = planNode(
  {
    name: 'k',
    nodes: 1,
    image: 'kubedesk-node:abc',
    network: { name: 'k-net', subnet: '172.30.0.0/24', gateway: '172.30.0.1' },
    hostGatewayIp: '172.30.0.1',
  },
  1,
);

describe('nodeContainerOptions', () => {
  it('uses the explicit capability set where privileged is refused', () => {
    const options = nodeContainerOptions(spec, 'capabilities', 5);
    expect(options.HostConfig).toMatchObject({
      CapAdd: ['ALL'],
      CapDrop: ['SYS_RESOURCE'],
      SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
      MaskedPaths: [],
      ReadonlyPaths: [],
      DeviceCgroupRules: ['a *:* rwm'],
      Tmpfs: { '/run': 'rw,exec', '/tmp': 'rw,exec' },
      Binds: ['k-node-1-docker:/var/lib/docker', '/sys/fs/cgroup:/sys/fs/cgroup:rw'],
    });
    expect(options.HostConfig?.Privileged).toBeUndefined();
    expect(options.Labels).toMatchObject({
      'kubedesk.io/security-mode': 'capabilities',
      'kubedesk.io/cluster': 'k',
    });
  });

  it('runs privileged with its own cgroup namespace when the engine allows', () => {
    const options = nodeContainerOptions(spec, 'privileged', 5);
    expect(options.HostConfig).toMatchObject({ Privileged: true, CgroupnsMode: 'private' });
    expect(options.HostConfig?.CapAdd).toBeUndefined();
  });

  it('publishes the kubelet port on loopback only, with a fixed IP and the host alias', () => {
    const options = nodeContainerOptions(spec, 'capabilities', 5);
    expect(options.HostConfig?.PortBindings).toEqual({
      '10250/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
    });
    expect(options.HostConfig?.ExtraHosts).toEqual(['host.docker.internal:172.30.0.1']);
    expect(options.NetworkingConfig?.EndpointsConfig?.['k-net']?.IPAMConfig?.IPv4Address).toBe('172.30.0.11');
    expect(options.Env).toContain('KUBEDESK_NODE_INDEX=1');
    expect(options.Hostname).toBe('k-node-1');
  });
});
