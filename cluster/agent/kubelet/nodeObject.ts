import { existsSync, readFileSync } from 'node:fs';
import { arch, cpus, release, totalmem } from 'node:os';
import type { V1Node, V1NodeCondition } from '@kubernetes/client-node';

// The Node object this kubelet registers: capacity from the node container's cgroup limits (falling
// back to the machine's), addresses, pod CIDR, nodeInfo and the well-known labels.

export const kubeletVersion = 'v1.35.0';

export interface NodeFacts {
  name: string;
  ip: string;
  podCidr: string;
  cpuMillis: number;
  memoryBytes: number;
  maxPods: number;
  osImage: string;
  kernelVersion: string;
  architecture: string;
  containerRuntimeVersion: string;
  kubeletPort: number;
}

const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

function readText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

/** CPU and memory limits of the node container, from cgroup v2 (cpu.max, memory.max) or v1. */
export function cgroupLimits(read: (path: string) => string | undefined = readText): {
  cpuMillis?: number;
  memoryBytes?: number;
} {
  const limits: { cpuMillis?: number; memoryBytes?: number } = {};
  const cpuMax = read('/sys/fs/cgroup/cpu.max');
  if (cpuMax) {
    const [quota, period] = cpuMax.split(/\s+/);
    if (quota && quota !== 'max' && period)
      limits.cpuMillis = Math.floor((Number(quota) / Number(period)) * 1000);
  } else {
    const quota = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us') ?? -1);
    const period = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us') ?? 0);
    if (quota > 0 && period > 0) limits.cpuMillis = Math.floor((quota / period) * 1000);
  }
  const memory = read('/sys/fs/cgroup/memory.max') ?? read('/sys/fs/cgroup/memory/memory.limit_in_bytes');
  // cgroup v1 reports "no limit" as a huge number near 2^63.
  if (memory && memory !== 'max' && Number(memory) < 2 ** 60) limits.memoryBytes = Number(memory);
  return limits;
}

export function osImage(read: (path: string) => string | undefined = readText): string {
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(read('/etc/os-release') ?? '');
  return pretty?.[1] ?? 'Linux';
}

export function localFacts(env: NodeJS.ProcessEnv, runtimeVersion: string): NodeFacts {
  const limits = cgroupLimits();
  const machineCpu = cpus().length * 1000;
  return {
    name: env.KUBEDESK_NODE_NAME ?? 'kubedesk-node',
    ip: env.KUBEDESK_NODE_IP ?? '127.0.0.1',
    podCidr: env.KUBEDESK_POD_CIDR ?? '10.244.1.0/24',
    cpuMillis: Math.min(limits.cpuMillis ?? machineCpu, machineCpu),
    memoryBytes: Math.min(limits.memoryBytes ?? totalmem(), totalmem()),
    maxPods: 110,
    osImage: osImage(),
    kernelVersion: release(),
    architecture: goArch[arch()] ?? arch(),
    containerRuntimeVersion: `docker://${runtimeVersion}`,
    kubeletPort: Number(env.KUBEDESK_KUBELET_PORT ?? 10250),
  };
}

const quantityCpu = (millis: number) => (millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`);
const quantityMemory = (bytes: number) => `${Math.floor(bytes / 1024)}Ki`;

export function nodeConditions(
  facts: { memoryPressure: boolean; diskPressure: boolean; pidPressure: boolean },
  now: Date,
): V1NodeCondition[] {
  const c = (type: string, status: boolean, reason: string, message: string): V1NodeCondition => ({
    type,
    status: status ? 'True' : 'False',
    reason,
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  return [
    c(
      'MemoryPressure',
      facts.memoryPressure,
      facts.memoryPressure ? 'KubeletHasInsufficientMemory' : 'KubeletHasSufficientMemory',
      'kubelet has sufficient memory available',
    ),
    c(
      'DiskPressure',
      facts.diskPressure,
      facts.diskPressure ? 'KubeletHasDiskPressure' : 'KubeletHasNoDiskPressure',
      'kubelet has no disk pressure',
    ),
    c(
      'PIDPressure',
      facts.pidPressure,
      facts.pidPressure ? 'KubeletHasInsufficientPID' : 'KubeletHasSufficientPID',
      'kubelet has sufficient PID available',
    ),
    c('Ready', true, 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/** Keeps lastTransitionTime from the previous conditions when a status did not change. */
export function carryTransitions(
  next: V1NodeCondition[],
  previous: V1NodeCondition[] = [],
): V1NodeCondition[] {
  return next.map((c) => {
    const before = previous.find((p) => p.type === c.type);
    return before && before.status === c.status && before.lastTransitionTime
      ? { ...c, lastTransitionTime: before.lastTransitionTime }
      : c;
  });
}

export function nodeObject(facts: NodeFacts, role = 'worker'): V1Node {
  const resources = {
    cpu: quantityCpu(facts.cpuMillis),
    memory: quantityMemory(facts.memoryBytes),
    pods: String(facts.maxPods),
    'ephemeral-storage': '100Gi',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: facts.name,
      labels: {
        'kubernetes.io/hostname': facts.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': facts.architecture,
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': facts.architecture,
        [`node-role.kubernetes.io/${role}`]: '',
      },
    },
    spec: { podCIDR: facts.podCidr, podCIDRs: [facts.podCidr] },
    status: {
      capacity: resources,
      allocatable: resources,
      addresses: [
        { type: 'InternalIP', address: facts.ip },
        { type: 'Hostname', address: facts.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: facts.kubeletPort } },
      nodeInfo: {
        architecture: facts.architecture,
        bootID: readText('/proc/sys/kernel/random/boot_id') ?? '',
        containerRuntimeVersion: facts.containerRuntimeVersion,
        kernelVersion: facts.kernelVersion,
        kubeProxyVersion: kubeletVersion,
        kubeletVersion,
        machineID: readText('/etc/machine-id') ?? '',
        operatingSystem: 'linux',
        osImage: facts.osImage,
        systemUUID: readText('/sys/class/dmi/id/product_uuid') ?? '',
      },
    },
  };
}
