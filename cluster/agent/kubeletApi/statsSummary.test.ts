import type { ContainerStats } from 'dockerode';
import { describe, expect, it } from 'vitest';
import { workingSetBytes } from './statsSummary';

const stats = (memory: object) => ({ memory_stats: memory }) as unknown as ContainerStats;

describe('container working set', () => {
  it('is usage minus inactive file cache, on cgroup v2 and v1', () => {
    expect(workingSetBytes(stats({ usage: 100, stats: { inactive_file: 30 } }))).toBe(70);
    expect(workingSetBytes(stats({ usage: 100, stats: { total_inactive_file: 40 } }))).toBe(60);
  });
  it('is never negative and is 0 without memory stats', () => {
    expect(workingSetBytes(stats({ usage: 10, stats: { inactive_file: 30 } }))).toBe(0);
    expect(workingSetBytes(stats({}))).toBe(0);
  });
});
