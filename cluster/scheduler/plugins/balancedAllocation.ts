// NodeResourcesBalancedAllocation: favours nodes whose cpu and memory would be used in equal
// shares after placing the pod: score = (1 - std of the fractions) × 100 (weight 1). Best-effort
// pods (no requests) are skipped, as they change neither fraction.

import { maxNodeScore, type ScorePlugin } from '../framework';

export const balancedAllocationScore: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  preScore(pod) {
    const { milliCpu, memory } = pod.requests;
    if (milliCpu === 0 && memory === 0) return undefined;
    return {
      score(node) {
        const cpuCapacity = node.allocatable.milliCpu;
        const memoryCapacity = node.allocatable.memory;
        // With both resources std = |a - b| / 2; with one (or none) it is 0.
        if (cpuCapacity === 0 || memoryCapacity === 0) return maxNodeScore;
        const cpuFraction = Math.min(1, (node.requested.milliCpu + milliCpu) / cpuCapacity);
        const memoryFraction = Math.min(1, (node.requested.memory + memory) / memoryCapacity);
        return Math.trunc((1 - Math.abs((cpuFraction - memoryFraction) / 2)) * maxNodeScore);
      },
    };
  },
};
