import { describe, expect, it, vi } from 'vitest';
import { createAcknowledger, decodeBase64 } from './acknowledger';

describe('createAcknowledger', () => {
  it('acknowledges a full batch at once and the rest after a short delay', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const acknowledger = createAcknowledger((bytes) => sent.push(bytes), { batchBytes: 100, delayMs: 10 });
    acknowledger.rendered(60);
    acknowledger.rendered(60);
    expect(sent).toEqual([120]);
    acknowledger.rendered(5);
    acknowledger.rendered(7);
    expect(sent).toEqual([120]);
    vi.advanceTimersByTime(10);
    expect(sent).toEqual([120, 12]);
    vi.useRealTimers();
  });

  it('sends nothing once disposed', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const acknowledger = createAcknowledger((bytes) => sent.push(bytes), { batchBytes: 100, delayMs: 10 });
    acknowledger.rendered(5);
    acknowledger.dispose();
    vi.advanceTimersByTime(50);
    acknowledger.rendered(500);
    expect(sent).toEqual([]);
    vi.useRealTimers();
  });
});

describe('decodeBase64', () => {
  it('gives back the exact bytes, including ones that are not valid UTF-8 alone', () => {
    const bytes = Buffer.from([0xe2, 0x82, 0xac, 0x00, 0xff, 0x1b, 0x5b]);
    expect(Array.from(decodeBase64(bytes.toString('base64')))).toEqual(Array.from(bytes));
  });
});
