// Carries a session's output to one consumer with back-pressure. Output is coalesced into chunks of
// at most `maxChunkBytes`; at most `highWaterBytes` may be sent and not yet acknowledged, and the
// source (the pty) is paused while that much is held, so a `cat` of a huge file costs bounded memory
// here and in the renderer, and the program writing it simply waits, as it would on a slow terminal.

export interface FlowSource {
  pause(): void;
  resume(): void;
}

export interface FlowConsumer {
  data(chunk: Buffer): void;
  /** Everything was delivered after `finish()`. */
  end(): void;
}

export interface OutputFlowOptions {
  maxChunkBytes?: number;
  highWaterBytes?: number;
  /** The source resumes once held bytes fall to this. */
  lowWaterBytes?: number;
}

export const defaultFlow = { maxChunkBytes: 64 * 1024, highWaterBytes: 1024 * 1024 } as const;

export class OutputFlow {
  private readonly maxChunk: number;
  private readonly highWater: number;
  private readonly lowWater: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private unackedBytes = 0;
  private consumer: FlowConsumer | undefined;
  private sourcePaused = false;
  private flushQueued = false;
  private finished = false;
  private discarding = false;
  private ended = false;

  constructor(
    private readonly source: FlowSource,
    options: OutputFlowOptions = {},
  ) {
    this.maxChunk = options.maxChunkBytes ?? defaultFlow.maxChunkBytes;
    this.highWater = options.highWaterBytes ?? defaultFlow.highWaterBytes;
    this.lowWater = options.lowWaterBytes ?? this.highWater / 2;
    // Nothing is read until someone consumes it.
    this.updateSource();
  }

  /** Bytes sent to the consumer and not yet acknowledged; never above the high-water mark. */
  get unacknowledged(): number {
    return this.unackedBytes;
  }

  /** Bytes read from the source and not yet sent. */
  get buffered(): number {
    return this.pendingBytes;
  }

  get paused(): boolean {
    return this.sourcePaused;
  }

  get attached(): boolean {
    return this.consumer !== undefined;
  }

  push(data: Buffer): void {
    if (data.length === 0 || this.discarding) return;
    this.pending.push(data);
    this.pendingBytes += data.length;
    // Full chunks go at once; smaller reads wait one turn of the event loop to be coalesced.
    if (this.pendingBytes >= this.maxChunk) this.flush();
    else this.queueFlush();
    this.updateSource();
  }

  /** The consumer rendered `bytes` more bytes. */
  acknowledge(bytes: number): void {
    this.unackedBytes = Math.max(0, this.unackedBytes - bytes);
    this.flush();
    this.updateSource();
  }

  attach(consumer: FlowConsumer): void {
    if (this.consumer) throw new Error('the output already has a consumer');
    this.consumer = consumer;
    // A new consumer has rendered nothing of what the last one was sent.
    this.unackedBytes = 0;
    this.flush();
    this.updateSource();
  }

  detach(): void {
    this.consumer = undefined;
    this.updateSource();
  }

  /** Nobody will read the rest: drop it and let the source run freely, so it is never blocked on output while it ends. */
  discard(): void {
    this.discarding = true;
    this.consumer = undefined;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.sourcePaused) {
      this.sourcePaused = false;
      this.source.resume();
    }
  }

  /** The source has no more output; the consumer's `end` follows the last chunk. */
  finish(): void {
    this.finished = true;
    this.flush();
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.flush();
      this.updateSource();
    });
  }

  private flush(): void {
    const consumer = this.consumer;
    if (!consumer) return;
    while (this.pendingBytes > 0) {
      const room = Math.min(this.maxChunk, this.highWater - this.unackedBytes);
      if (room <= 0) return;
      const chunk = this.take(room);
      this.unackedBytes += chunk.length;
      consumer.data(chunk);
    }
    if (this.finished && !this.ended) {
      this.ended = true;
      consumer.end();
    }
  }

  private take(limit: number): Buffer {
    const parts: Buffer[] = [];
    let size = 0;
    while (size < limit) {
      const head = this.pending[0];
      if (!head) break;
      const wanted = limit - size;
      if (head.length <= wanted) {
        parts.push(head);
        this.pending.shift();
        size += head.length;
      } else {
        parts.push(head.subarray(0, wanted));
        this.pending[0] = head.subarray(wanted);
        size += wanted;
      }
    }
    this.pendingBytes -= size;
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
  }

  private updateSource(): void {
    if (this.finished || this.discarding) return;
    const held = this.pendingBytes + this.unackedBytes;
    if (!this.sourcePaused && (!this.consumer || held >= this.highWater)) {
      this.sourcePaused = true;
      this.source.pause();
    } else if (this.sourcePaused && this.consumer && held <= this.lowWater) {
      this.sourcePaused = false;
      this.source.resume();
    }
  }
}
