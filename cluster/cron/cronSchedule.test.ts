import { describe, expect, it } from 'vitest';
import { parseCronSchedule, scheduleProblem, timeZoneProblem } from './cronSchedule';

const at = (iso: string) => new Date(iso);

describe('cron schedules', () => {
  it('reads five fields, names, steps and descriptors', () => {
    const everyMinute = parseCronSchedule('*/1 * * * *');
    expect(everyMinute.next(at('2026-01-01T00:00:30Z'))?.toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(everyMinute.next(at('2026-01-01T00:01:00Z'))?.toISOString()).toBe('2026-01-01T00:02:00.000Z');
    expect(everyMinute.latest(at('2026-01-01T00:01:00Z'))?.toISOString()).toBe('2026-01-01T00:01:00.000Z');
    const weekdays = parseCronSchedule('30 9 * * MON-FRI', 'UTC');
    expect(weekdays.next(at('2026-01-02T10:00:00Z'))?.toISOString()).toBe('2026-01-05T09:30:00.000Z');
    expect(parseCronSchedule('@hourly').next(at('2026-01-01T00:00:30Z'))?.toISOString()).toBe(
      '2026-01-01T01:00:00.000Z',
    );
    expect(parseCronSchedule('@midnight', 'UTC').next(at('2026-01-01T00:00:30Z'))?.toISOString()).toBe(
      '2026-01-02T00:00:00.000Z',
    );
  });

  it('honours spec.timeZone', () => {
    const nineInTokyo = parseCronSchedule('0 9 * * *', 'Asia/Tokyo');
    expect(nineInTokyo.next(at('2026-03-01T12:00:00Z'))?.toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });

  it('has no runs for impossible dates', () => {
    expect(parseCronSchedule('0 0 30 2 *').next(at('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('rejects what Kubernetes rejects, with its messages', () => {
    expect(scheduleProblem('TZ=UTC 0 * * * *')).toBe(
      'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    );
    expect(scheduleProblem('CRON_TZ=Europe/Paris 0 * * * *')).toBe(
      'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    );
    expect(scheduleProblem('*/5 * * * * *')).toBe('expected exactly 5 fields, found 6: [*/5 * * * * *]');
    expect(scheduleProblem('@fortnightly')).toBe('unrecognized descriptor: @fortnightly');
    expect(scheduleProblem('0 0 L * *')).toMatch(/unsupported syntax/);
    expect(scheduleProblem('61 * * * *')).toMatch(/minute/);
    expect(scheduleProblem('0 9 * * MON-FRI')).toBeUndefined();
  });

  it('accepts only explicit IANA time zones', () => {
    expect(timeZoneProblem(undefined)).toBeUndefined();
    expect(timeZoneProblem('Europe/Berlin')).toBeUndefined();
    expect(timeZoneProblem('Local')).toMatch(/explicit time zone/);
    expect(timeZoneProblem('')).toBe('timeZone must be nil or non-empty string');
    expect(timeZoneProblem('Mars/Olympus_Mons')).toBe('unknown time zone Mars/Olympus_Mons');
    expect(timeZoneProblem('../etc/passwd')).toBe('unknown time zone ../etc/passwd');
  });
});
