import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type FlowSource, OutputFlow } from './outputFlow';

function recordingSource() {
  const events: string[] = [];
  const source: FlowSource & { paused: boolean } = {
    paused: false,
    pause() {
      this.paused = true;
      events.push('pause');
    },
    resume() {
      this.paused = false;
      events.push('resume');
    },
  };
  return { source, events };
}

function collector() {
  const chunks: Buffer[] = [];
  let ended = false;
  return {
    chunks,
    get ended() {
      return ended;
    },
    consumer: { data: (chunk: Buffer) => chunks.push(chunk), end: () => (ended = true) },
  };
}

const KiB = 1024;

describe('OutputFlow', () => {
  it('keeps the source paused until a consumer attaches', () => {
    const { source } = recordingSource();
    const flow = new OutputFlow(source);
    expect(source.paused).toBe(true);
    flow.attach(collector().consumer);
    expect(source.paused).toBe(false);
  });

  it('coalesces small reads into one chunk per turn of the event loop', async () => {
    const { source } = recordingSource();
    const flow = new OutputFlow(source);
    const out = collector();
    flow.attach(out.consumer);
    for (let i = 0; i < 100; i++) flow.push(Buffer.from(`line ${i}\n`));
    expect(out.chunks).toHaveLength(0);
    await nextTurn();
    expect(out.chunks).toHaveLength(1);
    expect(out.chunks[0]?.toString()).toBe(Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join(''));
  });

  it('never sends a chunk above the chunk size and keeps byte order', async () => {
    const { source } = recordingSource();
    const flow = new OutputFlow(source, { maxChunkBytes: 64 * KiB, highWaterBytes: 1024 * KiB });
    const out = collector();
    flow.attach(out.consumer);
    const input = Buffer.alloc(300 * KiB);
    for (let i = 0; i < input.length; i++) input[i] = i % 251;
    for (let offset = 0; offset < input.length; offset += 5000)
      flow.push(input.subarray(offset, offset + 5000));
    await nextTurn();
    expect(out.chunks.every((chunk) => chunk.length <= 64 * KiB)).toBe(true);
    expect(Buffer.concat(out.chunks).equals(input)).toBe(true);
  });

  it('bounds unacknowledged bytes, pauses the source at the high-water mark and resumes on acknowledgement', async () => {
    const { source, events } = recordingSource();
    const flow = new OutputFlow(source, { maxChunkBytes: 64 * KiB, highWaterBytes: 1024 * KiB });
    const out = collector();
    flow.attach(out.consumer);
    let maxUnacked = 0;
    // A flood that ignores pauses as long as it is told to (a pty may deliver a read already done).
    for (let i = 0; i < 5000 && !source.paused; i++) {
      flow.push(Buffer.alloc(4 * KiB, 'y'));
      maxUnacked = Math.max(maxUnacked, flow.unacknowledged);
    }
    await nextTurn();
    expect(source.paused).toBe(true);
    expect(maxUnacked).toBeLessThanOrEqual(1024 * KiB);
    expect(flow.unacknowledged + flow.buffered).toBeLessThanOrEqual(1024 * KiB + 4 * KiB);
    const sent = out.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    expect(sent).toBe(flow.unacknowledged);

    flow.acknowledge(256 * KiB);
    expect(source.paused).toBe(true);
    flow.acknowledge(512 * KiB);
    expect(source.paused).toBe(false);
    expect(events).toEqual(['pause', 'resume', 'pause', 'resume']);
  });

  it('ends the stream only after every byte was delivered', async () => {
    const { source } = recordingSource();
    const flow = new OutputFlow(source, { maxChunkBytes: 16, highWaterBytes: 32 });
    const out = collector();
    flow.attach(out.consumer);
    flow.push(Buffer.alloc(100, 'x'));
    flow.finish();
    expect(out.ended).toBe(false);
    while (!out.ended) flow.acknowledge(32);
    expect(Buffer.concat(out.chunks).length).toBe(100);
  });

  it('lets the source run and drops its output once discarded', () => {
    const { source } = recordingSource();
    const flow = new OutputFlow(source, { maxChunkBytes: 16, highWaterBytes: 32 });
    expect(source.paused).toBe(true);
    flow.discard();
    expect(source.paused).toBe(false);
    flow.push(Buffer.alloc(1000));
    expect(flow.buffered).toBe(0);
    expect(source.paused).toBe(false);
  });
});
