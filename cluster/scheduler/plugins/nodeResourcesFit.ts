// NodeResourcesFit: the pod's requests must fit in what the node has left of its allocatable (cpu,
// memory, ephemeral storage, extended resources, pod count). A request larger than the whole node
// is UnschedulableAndUnresolvable, since no preemption can make room. Scoring is LeastAllocated
// over cpu and memory with the non-zero requests (weight 1 in the default profile).

import {
  type FilterPlugin,
  maxNodeScore,
  type Rejection,
  type RejectionCode,
  type ScorePlugin,
} from '../framework';
import type { NodeInfo } from '../nodeInfo';
import type { Resources } from '../podResources';

export const errReasonTooManyPods = 'Too many pods';

const tooManyPods: Rejection = {
  plugin: 'NodeResourcesFit',
  code: 'Unschedulable',
  reasons: [errReasonTooManyPods],
};

function isZero(r: Resources): boolean {
  return r.milliCpu === 0 && r.memory === 0 && r.ephemeralStorage === 0 && r.scalars.size === 0;
}

/** The reasons the node cannot take the pod (Fits), or undefined when it fits. */
export function insufficientResources(requests: Resources, node: NodeInfo): Rejection | undefined {
  // The per-node hot path: plain comparisons, no allocation, when everything fits.
  const allocatable = node.allocatable;
  const requested = node.requested;
  if (
    node.pods.size < node.allowedPodCount &&
    (requests.milliCpu <= 0 || requests.milliCpu <= allocatable.milliCpu - requested.milliCpu) &&
    (requests.memory <= 0 || requests.memory <= allocatable.memory - requested.memory) &&
    (requests.ephemeralStorage <= 0 ||
      requests.ephemeralStorage <= allocatable.ephemeralStorage - requested.ephemeralStorage) &&
    requests.scalars.size === 0
  ) {
    return undefined;
  }
  return shortfalls(requests, node);
}

function shortfalls(requests: Resources, node: NodeInfo): Rejection | undefined {
  const tooMany = node.pods.size + 1 > node.allowedPodCount;
  if (isZero(requests)) return tooMany ? tooManyPods : undefined;
  const { allocatable, requested } = node;
  const reasons: string[] = tooMany ? [errReasonTooManyPods] : [];
  let code: RejectionCode = 'Unschedulable';
  const check = (name: string, wanted: number, capacity: number, used: number) => {
    if (wanted <= 0 || wanted <= capacity - used) return;
    reasons.push(`Insufficient ${name}`);
    if (wanted > capacity) code = 'UnschedulableAndUnresolvable';
  };
  check('cpu', requests.milliCpu, allocatable.milliCpu, requested.milliCpu);
  check('memory', requests.memory, allocatable.memory, requested.memory);
  check(
    'ephemeral-storage',
    requests.ephemeralStorage,
    allocatable.ephemeralStorage,
    requested.ephemeralStorage,
  );
  for (const [name, wanted] of requests.scalars) {
    check(name, wanted, allocatable.scalars.get(name) ?? 0, requested.scalars.get(name) ?? 0);
  }
  return reasons.length === 0 ? undefined : { plugin: 'NodeResourcesFit', code, reasons };
}

export const nodeResourcesFitFilter: FilterPlugin = {
  name: 'NodeResourcesFit',
  preFilter(pod) {
    const requests = pod.requests;
    return (node) => insufficientResources(requests, node);
  },
};

/** leastRequestedScore: the share left free, 0..100, 0 when over capacity. */
function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * maxNodeScore) / capacity);
}

export const leastAllocatedScore: ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  preScore(pod) {
    const { milliCpu, memory } = pod.nonZeroRequests;
    return {
      score(node) {
        const cpuCapacity = node.allocatable.milliCpu;
        const memoryCapacity = node.allocatable.memory;
        let sum = 0;
        let weights = 0;
        if (cpuCapacity !== 0) {
          sum += leastRequested(node.nonZeroRequested.milliCpu + milliCpu, cpuCapacity);
          weights++;
        }
        if (memoryCapacity !== 0) {
          sum += leastRequested(node.nonZeroRequested.memory + memory, memoryCapacity);
          weights++;
        }
        return weights === 0 ? 0 : Math.trunc(sum / weights);
      },
    };
  },
};
