import { describe, expect, it } from 'vitest';
import { eventually } from '../controllers/testing/controllerHarness';
import { HeartbeatScheduler } from './heartbeatScheduler';

describe('HeartbeatScheduler', () => {
  it('beats every member once per period, never twice at once, within the concurrency bound', async () => {
    const beats = new Map<string, number>();
    const running = new Set<string>();
    let inFlight = 0;
    let maxInFlight = 0;
    let overlapped = false;
    const scheduler = new HeartbeatScheduler({
      periodMs: 20,
      tickMs: 5,
      concurrency: 3,
      beat: async (name) => {
        if (running.has(name)) overlapped = true;
        running.add(name);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((r) => setTimeout(r, 30));
        beats.set(name, (beats.get(name) ?? 0) + 1);
        inFlight--;
        running.delete(name);
      },
      onError: () => {},
    });
    for (let i = 0; i < 10; i++) scheduler.add(`n${i}`);
    await eventually(() => [...beats.values()].filter((n) => n >= 2).length === 10, 5_000, 'two beats each');
    scheduler.stop();
    expect(overlapped).toBe(false);
    expect(maxInFlight).toBeLessThanOrEqual(3);
  });

  it('beats a member at once when asked, and stops beating removed members', async () => {
    const beaten: string[] = [];
    const scheduler = new HeartbeatScheduler({
      periodMs: 60_000,
      beat: async (name) => {
        beaten.push(name);
      },
      onError: () => {},
    });
    scheduler.add('a', { now: true });
    scheduler.add('b');
    scheduler.remove('b');
    await eventually(() => beaten.includes('a'));
    scheduler.beatSoon('b');
    scheduler.beatSoon('a');
    await eventually(() => beaten.length === 2);
    expect(beaten).toEqual(['a', 'a']);
    expect(scheduler.has('b')).toBe(false);
    scheduler.stop();
  });

  it('reports failed beats and keeps going', async () => {
    const errors: string[] = [];
    let calls = 0;
    const scheduler = new HeartbeatScheduler({
      periodMs: 10,
      tickMs: 5,
      beat: async () => {
        calls++;
        throw new Error('store closed');
      },
      onError: (name, err) => errors.push(`${name}: ${(err as Error).message}`),
    });
    scheduler.add('a', { now: true });
    await eventually(() => calls >= 2);
    scheduler.stop();
    expect(errors[0]).toBe('a: store closed');
  });
});
