import { describe, expect, it } from 'vitest';
import { UsageSeriesBuffer } from './usageSeries';

describe('UsageSeriesBuffer', () => {
  it('turns cumulative CPU time into cores between reads', () => {
    const series = new UsageSeriesBuffer(10);
    series.add({ t: 1_000, cpuNanoSeconds: 0, memoryBytes: 10 });
    series.add({ t: 3_000, cpuNanoSeconds: 1e9, memoryBytes: 20 });
    expect(series.list()).toEqual([{ t: 3_000, cpuCores: 0.5, memoryBytes: 20 }]);
  });

  it('keeps only the newest samples, oldest first', () => {
    const series = new UsageSeriesBuffer(3);
    for (let i = 0; i <= 5; i++) series.add({ t: i * 1000, cpuNanoSeconds: i * 1e9, memoryBytes: i });
    expect(series.list().map((s) => s.memoryBytes)).toEqual([3, 4, 5]);
  });

  it('starts a new baseline when the counter goes back (a restarted container)', () => {
    const series = new UsageSeriesBuffer(5);
    series.add({ t: 1_000, cpuNanoSeconds: 5e9, memoryBytes: 1 });
    series.add({ t: 2_000, cpuNanoSeconds: 1e8, memoryBytes: 1 });
    series.add({ t: 3_000, cpuNanoSeconds: 2e8, memoryBytes: 1 });
    expect(series.list().map((s) => s.cpuCores)).toEqual([0.1]);
  });
});
