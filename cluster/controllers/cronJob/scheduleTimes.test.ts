import type { V1CronJob } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parseCronSchedule } from '../../cron/cronSchedule';
import { nextScheduleTime, unmetSchedule } from './scheduleTimes';

function cronJob(
  created: string,
  status: V1CronJob['status'] = {},
  startingDeadlineSeconds?: number,
): V1CronJob {
  return {
    metadata: { name: 'c', creationTimestamp: new Date(created) },
    spec: {
      schedule: '* * * * *',
      jobTemplate: {},
      ...(startingDeadlineSeconds === undefined ? {} : { startingDeadlineSeconds }),
    },
    status,
  };
}

const everyMinute = parseCronSchedule('* * * * *');
const now = new Date('2026-01-01T10:05:30Z');

describe('unmet schedule times', () => {
  it('finds the most recent run since creation and counts the missed ones', () => {
    const unmet = unmetSchedule(cronJob('2026-01-01T10:00:10Z'), everyMinute, now, true);
    expect(unmet?.mostRecent?.toISOString()).toBe('2026-01-01T10:05:00.000Z');
    expect(unmet?.missed).toBe(5);
  });

  it('starts after the last schedule time, and has nothing before the next run', () => {
    const ran = cronJob('2026-01-01T09:00:00Z', { lastScheduleTime: new Date('2026-01-01T10:05:00Z') });
    expect(unmetSchedule(ran, everyMinute, now, true)).toMatchObject({ missed: 0 });
    expect(nextScheduleTime(ran, everyMinute, now)?.toISOString()).toBe('2026-01-01T10:06:00.000Z');
  });

  it('ignores runs older than startingDeadlineSeconds', () => {
    const late = cronJob('2026-01-01T10:00:10Z', {}, 20);
    expect(
      unmetSchedule(late, everyMinute, new Date('2026-01-01T10:05:30Z'), true)?.mostRecent,
    ).toBeUndefined();
    expect(
      unmetSchedule(late, everyMinute, new Date('2026-01-01T10:05:15Z'), true)?.mostRecent?.toISOString(),
    ).toBe('2026-01-01T10:05:00.000Z');
  });

  it('estimates the count past 100 missed runs and still returns only the latest', () => {
    const unmet = unmetSchedule(cronJob('2026-01-01T00:00:00Z'), everyMinute, now, true);
    expect(unmet?.missed).toBe(605);
    expect(unmet?.mostRecent?.toISOString()).toBe('2026-01-01T10:05:00.000Z');
  });
});
