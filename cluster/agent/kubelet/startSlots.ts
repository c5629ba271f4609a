// At most a few container creates and starts are in flight on a node's dockerd at a time. Under a
// burst (a Deployment scaled up), dockerd given every start at once finishes them all late; taken
// a few at a time, with the containers of pods already under way ahead of new pods' infra
// containers, the first pods run early and the last no later (bench/podStartup.bench.ts).

export type SlotPriority = 'finish-pod' | 'new-pod';

export class StartSlots {
  private active = 0;
  private readonly waiting: Record<SlotPriority, (() => void)[]> = { 'finish-pod': [], 'new-pod': [] };

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>, priority: SlotPriority = 'finish-pod'): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting[priority].push(resolve));
    else this.active += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting['finish-pod'].shift() ?? this.waiting['new-pod'].shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
