import type { V1Job } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../runtime/clock';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { jobControllerWith } from './jobController';
import { scriptPods } from './testing/scriptedPods';
import { jobExpiry, ttlAfterFinishedController } from './ttlAfterFinishedController';

describe('TTL after finished', () => {
  let h: ControllerHarness;
  afterEach(async () => h?.stop());

  it('expires a finished Job ttlSecondsAfterFinished after its terminal condition', () => {
    const finished = (type: string, ttl?: number): V1Job => ({
      spec: { template: {}, ...(ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl }) },
      status: {
        conditions: [{ type, status: 'True', lastTransitionTime: new Date('2026-01-01T00:00:00Z') }],
      },
    });
    expect(jobExpiry(finished('Complete', 60))).toBe(Date.parse('2026-01-01T00:01:00Z'));
    expect(jobExpiry(finished('Failed', 0))).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(jobExpiry(finished('Complete'))).toBeUndefined();
    expect(jobExpiry(finished('SuccessCriteriaMet', 60))).toBeUndefined();
  });

  it('deletes the Job in the foreground once the clock passes its expiry', async () => {
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    h = await startControllerHarness([jobControllerWith(), ttlAfterFinishedController], { clock });
    scriptPods(h.ctx, () => ({ phase: 'Succeeded' }));
    const jobs = h.ctx.client.resource(resources.jobs);
    await jobs.create({
      metadata: { name: 'short', namespace: 'default' },
      spec: {
        ttlSecondsAfterFinished: 60,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      },
    });
    await eventually(
      async () => (await jobs.get('default', 'short'))?.status?.completionTime,
      5000,
      'complete',
    );
    clock.advance(60_000);
    // No garbage collector runs here, so the Job waits on its foregroundDeletion finalizer.
    const deleting = await eventually(
      async () => {
        const job = await jobs.get('default', 'short');
        return job?.metadata?.deletionTimestamp ? job : undefined;
      },
      5000,
      'deletion',
    );
    expect(deleting.metadata?.finalizers).toContain('foregroundDeletion');
  });
});
