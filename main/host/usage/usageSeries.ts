import type { UsageSample } from './usageContract';

// One object's usage over time: cumulative CPU time turned into cores between successive reads,
// kept in a ring buffer of bounded length so a long session never grows memory.

export interface CumulativeReading {
  /** Epoch milliseconds of the read. */
  t: number;
  cpuNanoSeconds: number;
  memoryBytes: number;
}

export class UsageSeriesBuffer {
  private readonly samples: UsageSample[] = [];
  private next = 0;
  private last?: CumulativeReading;

  constructor(readonly capacity: number) {}

  /** Adds a reading; the first (or one after a counter reset, e.g. a restarted container) only sets the baseline. */
  add(reading: CumulativeReading): void {
    const previous = this.last;
    this.last = reading;
    if (!previous || reading.t <= previous.t || reading.cpuNanoSeconds < previous.cpuNanoSeconds) return;
    const cpuCores = (reading.cpuNanoSeconds - previous.cpuNanoSeconds) / ((reading.t - previous.t) * 1e6);
    const sample = { t: reading.t, cpuCores, memoryBytes: reading.memoryBytes };
    if (this.samples.length < this.capacity) this.samples.push(sample);
    else this.samples[this.next] = sample;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  list(): UsageSample[] {
    if (this.samples.length < this.capacity) return [...this.samples];
    return [...this.samples.slice(this.next), ...this.samples.slice(0, this.next)];
  }
}
