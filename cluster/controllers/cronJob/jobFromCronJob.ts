// The Job a CronJob starts for one scheduled time: named `<cronjob>-<minutes since epoch>` so the
// same time can never start twice, owned by the CronJob, carrying the template's labels and
// annotations plus `batch.kubernetes.io/cronjob-scheduled-timestamp` in the CronJob's time zone.

import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import { controllerRef } from '../runtime/ownerReferences';

export const scheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export function jobNameFor(cronJob: V1CronJob, scheduledTime: Date): string {
  return `${cronJob.metadata?.name}-${Math.floor(scheduledTime.getTime() / 60_000)}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** RFC 3339 in the given IANA zone (UTC when none), with "Z" for a zero offset as Go writes it. */
export function rfc3339InZone(date: Date, timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timeZone ?? 'UTC',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  const offsetMinutes = Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const local = `${part('year')}-${two(part('month'))}-${two(part('day'))}T${two(part('hour'))}:${two(part('minute'))}:${two(part('second'))}`;
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

export function jobFromCronJob(cronJob: V1CronJob, scheduledTime: Date): V1Job {
  const template = structuredClone(cronJob.spec?.jobTemplate ?? {});
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(cronJob, scheduledTime),
      namespace: cronJob.metadata?.namespace,
      labels: template.metadata?.labels ?? {},
      annotations: {
        ...template.metadata?.annotations,
        [scheduledTimestampAnnotation]: rfc3339InZone(scheduledTime, cronJob.spec?.timeZone),
      },
      ownerReferences: [controllerRef(cronJob, 'batch/v1', 'CronJob')],
    },
    spec: template.spec ?? { template: {} },
  };
}
