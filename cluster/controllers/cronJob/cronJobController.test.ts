import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { jobControllerWith } from '../job/jobController';
import { type PodFate, scriptPods } from '../job/testing/scriptedPods';
import { ManualClock } from '../runtime/clock';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { cronJobController } from './cronJobController';

function cronJob(name: string, spec: Partial<NonNullable<V1CronJob['spec']>> = {}): V1CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule: '*/1 * * * *',
      ...spec,
      jobTemplate: {
        spec: {
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
        },
      },
    },
  };
}

const minute = 60_000;

describe('cronjob controller', () => {
  let h: ControllerHarness;
  let clock: ManualClock;
  afterEach(async () => h?.stop());

  const cronJobs = () => h.ctx.client.resource(resources.cronJobs);
  const jobsOf = async (name: string): Promise<V1Job[]> =>
    (await h.ctx.client.resource(resources.jobs).list('default')).items
      .filter((j) => j.metadata?.ownerReferences?.[0]?.name === name)
      .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const events = async (reason: string) =>
    (await h.ctx.client.resource(resources.events).list('default')).items.filter((e) => e.reason === reason);
  const finished = (job: V1Job) =>
    job.status?.conditions?.some((c) => c.type === 'Complete' || c.type === 'Failed');

  async function start(
    fate: (pod: { metadata?: { name?: string } }) => PodFate | undefined,
    at = '2026-03-01T10:00:30Z',
  ) {
    clock = new ManualClock(new Date(at));
    h = await startControllerHarness([jobControllerWith({ podFailureBackoffMs: 10 }), cronJobController], {
      clock,
    });
    scriptPods(h.ctx, fate);
  }

  it('creates a Job each minute as the clock advances and keeps the history limits', async () => {
    await start(() => ({ phase: 'Succeeded' }));
    await cronJobs().create(cronJob('tick', { successfulJobsHistoryLimit: 2 }));
    for (let run = 1; run <= 4; run++) {
      clock.advance(run === 1 ? 30_000 : minute);
      // The sync that sees a run finish also prunes beyond the limit of two.
      await eventually(
        async () => {
          const cj = await cronJobs().get('default', 'tick');
          const all = await jobsOf('tick');
          const at = `2026-03-01T10:0${run}:00Z`;
          // The sync that drops the finished run from active is followed by the one that records its success.
          const recorded =
            String(cj?.status?.lastScheduleTime) === at && String(cj?.status?.lastSuccessfulTime) === at;
          return recorded && !cj?.status?.active && all.length === Math.min(run, 2) && all.every(finished);
        },
        10_000,
        `run ${run} finished`,
      );
    }
    const names = (await jobsOf('tick')).map((j) => j.metadata?.name);
    const minuteOf = (iso: string) => Date.parse(iso) / minute;
    expect(names).toEqual([
      `tick-${minuteOf('2026-03-01T10:03:00Z')}`,
      `tick-${minuteOf('2026-03-01T10:04:00Z')}`,
    ]);
    const latest = (await jobsOf('tick'))[1];
    expect(latest?.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
      '2026-03-01T10:04:00Z',
    );
    const status = (await cronJobs().get('default', 'tick'))?.status;
    expect(String(status?.lastScheduleTime)).toBe('2026-03-01T10:04:00Z');
    expect(String(status?.lastSuccessfulTime)).toBe('2026-03-01T10:04:00Z');
    expect(
      (await events('SuccessfulCreate')).filter((e) => e.involvedObject.kind === 'CronJob'),
    ).toHaveLength(4);
    expect((await events('SawCompletedJob')).length).toBeGreaterThanOrEqual(4);
    await eventually(
      async () =>
        (await events('SuccessfulDelete')).filter((e) => e.involvedObject.kind === 'CronJob').length === 2,
    );
  });

  it('skips a run while the previous one is active under concurrencyPolicy Forbid', async () => {
    await start(() => ({ phase: 'Running' }));
    await cronJobs().create(cronJob('single', { concurrencyPolicy: 'Forbid' }));
    clock.advance(30_000);
    await eventually(
      async () => (await cronJobs().get('default', 'single'))?.status?.active?.length === 1,
      5000,
      'first',
    );
    clock.advance(minute);
    const skipped = await eventually(
      async () => (await events('JobAlreadyActive'))[0],
      5000,
      'JobAlreadyActive',
    );
    expect(skipped.message).toBe(
      'Not starting job because prior execution is running and concurrency policy is Forbid',
    );
    expect(await jobsOf('single')).toHaveLength(1);
  });

  it('replaces the running Job under concurrencyPolicy Replace', async () => {
    await start(() => ({ phase: 'Running' }));
    await cronJobs().create(cronJob('swap', { concurrencyPolicy: 'Replace' }));
    clock.advance(30_000);
    const first = await eventually(async () => (await jobsOf('swap'))[0], 5000, 'first');
    clock.advance(minute);
    await eventually(
      async () => {
        const all = await jobsOf('swap');
        return all.length === 1 && all[0]?.metadata?.uid !== first.metadata?.uid;
      },
      5000,
      'replaced',
    );
    expect((await cronJobs().get('default', 'swap'))?.status?.active).toHaveLength(1);
  });

  it('starts a late run unless it is older than startingDeadlineSeconds', async () => {
    await start(() => ({ phase: 'Running' }));
    await cronJobs().create(cronJob('late', { suspend: true }));
    await cronJobs().create(cronJob('strict', { suspend: true, startingDeadlineSeconds: 10 }));
    clock.advance(60_000); // 10:01:30, half a minute after the 10:01 run
    for (const name of ['late', 'strict']) {
      await cronJobs().mutate('default', name, (live) => {
        if (live.spec) live.spec.suspend = false;
        return live;
      });
    }
    await eventually(async () => (await jobsOf('late')).length === 1, 5000, 'late run started');
    expect(String((await cronJobs().get('default', 'late'))?.status?.lastScheduleTime)).toBe(
      '2026-03-01T10:01:00Z',
    );
    expect(await jobsOf('strict')).toHaveLength(0);
    clock.advance(30_000);
    await eventually(async () => (await jobsOf('strict')).length === 1, 5000, 'next run of strict');
  });

  it('reports too many missed start times and starts only the latest', async () => {
    await start(() => ({ phase: 'Running' }));
    await cronJobs().create(cronJob('asleep', { suspend: true }));
    clock.advance(3 * 60 * minute);
    await cronJobs().mutate('default', 'asleep', (live) => {
      if (live.spec) live.spec.suspend = false;
      return live;
    });
    const warning = await eventually(
      async () => (await events('TooManyMissedTimes'))[0],
      5000,
      'TooManyMissedTimes',
    );
    expect(warning.message).toBe(
      'too many missed start times: 180. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    );
    await eventually(async () => (await jobsOf('asleep')).length === 1, 5000, 'one job');
    expect(String((await cronJobs().get('default', 'asleep'))?.status?.lastScheduleTime)).toBe(
      '2026-03-01T13:00:00Z',
    );
  });

  it('schedules in spec.timeZone', async () => {
    await start(() => ({ phase: 'Running' }), '2026-03-01T23:59:30Z');
    await cronJobs().create(cronJob('tokyo', { schedule: '0 9 * * *', timeZone: 'Asia/Tokyo' }));
    clock.advance(30_000);
    const job = await eventually(async () => (await jobsOf('tokyo'))[0], 5000, 'job at 09:00 JST');
    expect(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
      '2026-03-02T09:00:00+09:00',
    );
  });

  it('is rejected by the API server with a TZ prefix or an unknown time zone', async () => {
    await start(() => undefined);
    await expect(cronJobs().create(cronJob('tz', { schedule: 'TZ=UTC 0 * * * *' }))).rejects.toThrow(
      /spec.schedule: Invalid value: "TZ=UTC 0 \* \* \* \*": cannot use TZ or CRON_TZ in schedule, use timeZone field instead/,
    );
    await expect(cronJobs().create(cronJob('mars', { timeZone: 'Mars/Base' }))).rejects.toThrow(
      /unknown time zone Mars\/Base/,
    );
  });
});
