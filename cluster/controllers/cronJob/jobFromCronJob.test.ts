import type { V1CronJob } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { jobFromCronJob, rfc3339InZone } from './jobFromCronJob';

describe('jobs from a CronJob', () => {
  const cronJob: V1CronJob = {
    metadata: { name: 'backup', namespace: 'ops', uid: 'u-1' },
    spec: {
      schedule: '0 9 * * *',
      timeZone: 'Asia/Tokyo',
      jobTemplate: {
        metadata: { labels: { app: 'backup' }, annotations: { team: 'ops' } },
        spec: {
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
        },
      },
    },
  };

  it('names the Job by the scheduled minute and stamps the time in the CronJob time zone', () => {
    const job = jobFromCronJob(cronJob, new Date('2026-03-02T00:00:00Z'));
    expect(job.metadata?.name).toBe(`backup-${Date.parse('2026-03-02T00:00:00Z') / 60_000}`);
    expect(job.metadata?.annotations).toEqual({
      team: 'ops',
      'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-03-02T09:00:00+09:00',
    });
    expect(job.metadata?.labels).toEqual({ app: 'backup' });
    expect(job.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        name: 'backup',
        uid: 'u-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(job.spec?.template.spec?.containers[0]?.image).toBe('busybox');
  });

  it('writes RFC 3339 with Z for UTC and negative offsets west of it', () => {
    const at = new Date('2026-07-01T12:34:56Z');
    expect(rfc3339InZone(at, undefined)).toBe('2026-07-01T12:34:56Z');
    expect(rfc3339InZone(at, 'America/New_York')).toBe('2026-07-01T08:34:56-04:00');
    expect(rfc3339InZone(at, 'Asia/Kolkata')).toBe('2026-07-01T18:04:56+05:30');
  });
});
