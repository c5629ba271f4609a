import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../../log';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { ManualClock } from './clock';
import { createEventRecorder } from './eventRecorder';
import { resources } from './resources';

describe('EventRecorder', () => {
  let h: ControllerHarness;
  afterEach(async () => h?.stop());

  it('counts repeats of the same event instead of creating more', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    h = await startControllerHarness([], { clock });
    const recorder = createEventRecorder(h.ctx.client, 'test-controller', clock, nullLogger);
    const cm = await h.ctx.client
      .resource(resources.configMaps)
      .create({ metadata: { name: 'c', namespace: 'default' } });
    recorder.event(cm, 'Warning', 'BackOff', 'Back-off restarting');
    recorder.event(cm, 'Warning', 'BackOff', 'Back-off restarting');
    clock.advance(5000);
    recorder.event(cm, 'Warning', 'BackOff', 'Back-off restarting');
    recorder.event(cm, 'Normal', 'Other', 'something else');
    const events = h.ctx.client.resource(resources.events);
    const list = await eventually(async () => {
      const { items } = await events.list('default');
      const backOff = items.find((e) => e.reason === 'BackOff');
      return items.length === 2 && backOff?.count === 3 ? items : undefined;
    });
    const backOff = list.find((e) => e.reason === 'BackOff');
    expect(backOff?.involvedObject).toMatchObject({ kind: 'ConfigMap', name: 'c', namespace: 'default' });
    expect(backOff?.source?.component).toBe('test-controller');
    expect(String(backOff?.lastTimestamp)).toBe('2026-01-01T00:00:05Z');
    expect(String(backOff?.firstTimestamp)).toBe('2026-01-01T00:00:00Z');
  });
});
