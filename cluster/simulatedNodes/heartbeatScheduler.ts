// One timer for every simulated node's heartbeat: each node is due once per period, nodes are
// spread over the period so a thousand of them renew ~100 leases a second rather than a thousand
// at once, and the beats due on a tick run with bounded concurrency. A beat still running when
// its node comes due again is not started twice.

export interface HeartbeatSchedulerOptions {
  periodMs: number;
  /** How often due nodes are collected; default a tenth of the period, at most one second. */
  tickMs?: number;
  /** Beats in flight at once. */
  concurrency?: number;
  beat(name: string): Promise<void>;
  onError(name: string, err: unknown): void;
}

interface Member {
  nextAt: number;
  running: boolean;
}

export class HeartbeatScheduler {
  private readonly members = new Map<string, Member>();
  private readonly due: string[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: HeartbeatSchedulerOptions) {}

  /** Adds a node whose first beat comes at a random point of the period (or now). */
  add(name: string, options: { now?: boolean } = {}): void {
    const offset = options.now ? 0 : Math.random() * this.options.periodMs;
    this.members.set(name, { nextAt: Date.now() + offset, running: false });
    if (options.now) this.beatSoon(name);
    this.ensureTimer();
  }

  remove(name: string): void {
    this.members.delete(name);
  }

  has(name: string): boolean {
    return this.members.has(name);
  }

  /** Beats the node now, outside its turn (a resumed node reports at once). */
  beatSoon(name: string): void {
    const member = this.members.get(name);
    if (!member) return;
    member.nextAt = Date.now();
    this.collect();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.due.length = 0;
  }

  private ensureTimer(): void {
    if (this.timer || this.stopped) return;
    const tickMs = this.options.tickMs ?? Math.min(1000, Math.max(10, this.options.periodMs / 10));
    this.timer = setInterval(() => this.collect(), tickMs);
    this.timer.unref();
  }

  private collect(): void {
    if (this.stopped) return;
    const now = Date.now();
    for (const [name, member] of this.members) {
      if (member.running || member.nextAt > now) continue;
      member.running = true;
      member.nextAt = now + this.options.periodMs;
      this.due.push(name);
    }
    this.drain();
  }

  private drain(): void {
    const limit = this.options.concurrency ?? 16;
    while (!this.stopped && this.inFlight < limit && this.due.length > 0) {
      const name = this.due.shift() as string;
      if (!this.members.has(name)) continue;
      this.inFlight++;
      this.options
        .beat(name)
        .catch((err: unknown) => this.options.onError(name, err))
        .finally(() => {
          this.inFlight--;
          const member = this.members.get(name);
          if (member) member.running = false;
          this.drain();
        });
    }
  }
}
