import { describe, expect, it } from 'vitest';
import { carryTransitions, cgroupLimits, nodeConditions, nodeObject, osImage } from './nodeObject';

const files = (map: Record<string, string>) => (path: string) => map[path];

describe('cgroupLimits', () => {
  it('reads cgroup v2 cpu.max and memory.max', () => {
    expect(
      cgroupLimits(
        files({ '/sys/fs/cgroup/cpu.max': '150000 100000', '/sys/fs/cgroup/memory.max': '2147483648' }),
      ),
    ).toEqual({
      cpuMillis: 1500,
      memoryBytes: 2147483648,
    });
    expect(
      cgroupLimits(files({ '/sys/fs/cgroup/cpu.max': 'max 100000', '/sys/fs/cgroup/memory.max': 'max' })),
    ).toEqual({});
  });

  it('reads cgroup v1 quotas and ignores the no-limit value', () => {
    const v1 = files({
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '200000',
      '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000',
      '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712',
    });
    expect(cgroupLimits(v1)).toEqual({ cpuMillis: 2000 });
  });
});

describe('nodeObject', () => {
  it('carries capacity, addresses, pod CIDR, node info and the well-known labels', () => {
    const node = nodeObject({
      name: 'kubedesk-node-1',
      ip: '172.30.0.11',
      podCidr: '10.244.1.0/24',
      cpuMillis: 1500,
      memoryBytes: 2 * 1024 ** 3,
      maxPods: 110,
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      kernelVersion: '6.1.0',
      architecture: 'amd64',
      containerRuntimeVersion: 'docker://20.10.24',
      kubeletPort: 10250,
    });
    expect(node.metadata?.labels).toMatchObject({
      'kubernetes.io/hostname': 'kubedesk-node-1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'node-role.kubernetes.io/worker': '',
    });
    expect(node.spec?.podCIDRs).toEqual(['10.244.1.0/24']);
    expect(node.status?.capacity).toMatchObject({ cpu: '1500m', memory: '2097152Ki', pods: '110' });
    expect(node.status?.addresses).toEqual([
      { type: 'InternalIP', address: '172.30.0.11' },
      { type: 'Hostname', address: 'kubedesk-node-1' },
    ]);
    expect(node.status?.nodeInfo).toMatchObject({
      kubeletVersion: 'v1.35.0',
      containerRuntimeVersion: 'docker://20.10.24',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
    });
  });

  it('reads the OS name from os-release', () => {
    expect(
      osImage(files({ '/etc/os-release': 'NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' })),
    ).toBe('Debian GNU/Linux 12 (bookworm)');
  });
});

describe('node conditions', () => {
  it('reports KubeletReady and keeps transition times while a status holds', () => {
    const first = nodeConditions(
      { memoryPressure: false, diskPressure: false, pidPressure: false },
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(first.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    const next = carryTransitions(
      nodeConditions(
        { memoryPressure: true, diskPressure: false, pidPressure: false },
        new Date('2026-01-01T00:01:00Z'),
      ),
      first,
    );
    expect(next.find((c) => c.type === 'Ready')?.lastTransitionTime).toEqual(
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(next.find((c) => c.type === 'MemoryPressure')).toMatchObject({
      status: 'True',
      reason: 'KubeletHasInsufficientMemory',
      lastTransitionTime: new Date('2026-01-01T00:01:00Z'),
    });
  });
});
