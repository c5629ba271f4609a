import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../runtime/clock';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { jobControllerWith } from './jobController';
import { jobTrackingFinalizer } from './jobPods';
import { type PodFate, scriptPods } from './testing/scriptedPods';

function job(name: string, spec: Partial<NonNullable<V1Job['spec']>> = {}, restartPolicy = 'Never'): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      ...spec,
      template: { spec: { restartPolicy, containers: [{ name: 'main', image: 'busybox' }] } },
    },
  };
}

describe('job controller', () => {
  let h: ControllerHarness;
  afterEach(async () => h?.stop());

  const jobs = () => h.ctx.client.resource(resources.jobs);
  const pods = () => h.ctx.client.resource(resources.pods);
  const podsOf = async (name: string): Promise<V1Pod[]> =>
    (await pods().list('default')).items.filter(
      (p) => p.metadata?.labels?.['batch.kubernetes.io/job-name'] === name,
    );
  const condition = async (name: string, type: string) =>
    (await jobs().get('default', name))?.status?.conditions?.find(
      (c) => c.type === type && c.status === 'True',
    );
  const events = async (reason: string) =>
    (await h.ctx.client.resource(resources.events).list('default')).items.filter((e) => e.reason === reason);

  async function start(fate: (pod: V1Pod) => PodFate | undefined, clock?: ManualClock) {
    h = await startControllerHarness(
      [jobControllerWith({ podFailureBackoffMs: 10 })],
      clock ? { clock } : {},
    );
    return scriptPods(h.ctx, fate);
  }

  it('runs exactly `completions` successful pods, never more than `parallelism` at once', async () => {
    const run = await start(() => ({ phase: 'Succeeded' }));
    await jobs().create(job('five', { completions: 5, parallelism: 2 }));
    const complete = await eventually(() => condition('five', 'Complete'), 10_000, 'Complete');
    expect(complete.reason).toBe('CompletionsReached');
    const done = await jobs().get('default', 'five');
    expect(done?.status).toMatchObject({ succeeded: 5, ready: 0, terminating: 0 });
    // Zero counters are omitted, as Kubernetes' omitempty does.
    expect(done?.status?.active).toBeUndefined();
    expect(done?.status?.failed).toBeUndefined();
    expect(done?.status?.completionTime).toBeDefined();
    expect(done?.status?.uncountedTerminatedPods).toEqual({});
    expect(done?.status?.conditions?.map((c) => c.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
    const created = await podsOf('five');
    expect(created).toHaveLength(5);
    expect(run.maxActive).toBeLessThanOrEqual(2);
    for (const pod of created) {
      expect(pod.metadata?.finalizers ?? []).not.toContain(jobTrackingFinalizer);
      expect(pod.metadata?.labels?.['batch.kubernetes.io/controller-uid']).toBe(done?.metadata?.uid);
      expect(pod.metadata?.labels?.['job-name']).toBe('five');
      expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'Job',
        name: 'five',
        controller: true,
      });
    }
    await eventually(
      async () => (await events('SuccessfulCreate')).length === 5,
      5000,
      'five SuccessfulCreate events',
    );
    const completed = await eventually(async () => (await events('Completed'))[0], 5000, 'Completed event');
    expect(completed.message).toBe('Job completed');
    expect(completed.involvedObject).toMatchObject({ kind: 'Job', name: 'five', apiVersion: 'batch/v1' });
  });

  it('stops at backoffLimit with Failed/BackoffLimitExceeded after backoffLimit+1 failed pods', async () => {
    await start(() => ({ phase: 'Failed', exitCode: 1 }));
    await jobs().create(job('fails', { backoffLimit: 2 }));
    const failed = await eventually(() => condition('fails', 'Failed'), 10_000, 'Failed');
    expect(failed).toMatchObject({
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    expect(await condition('fails', 'FailureTarget')).toMatchObject({ reason: 'BackoffLimitExceeded' });
    const status = (await jobs().get('default', 'fails'))?.status;
    expect(status).toMatchObject({ failed: 3 });
    expect(status?.active).toBeUndefined();
    expect(status?.completionTime).toBeUndefined();
    expect(await podsOf('fails')).toHaveLength(3);
    const warning = await eventually(async () => (await events('BackoffLimitExceeded'))[0], 5000, 'event');
    expect(warning.type).toBe('Warning');
  });

  it('replaces a failed pod only once the back-off has passed on the clock', async () => {
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    h = await startControllerHarness([jobControllerWith()], { clock });
    scriptPods(h.ctx, () => ({ phase: 'Failed' }));
    await jobs().create(job('slow', { backoffLimit: 5 }));
    // The sync that counts the failure is the one that decides to wait.
    await eventually(
      async () => (await jobs().get('default', 'slow'))?.status?.failed === 1,
      5000,
      'failure',
    );
    expect(await podsOf('slow')).toHaveLength(1);
    clock.advance(10_000);
    await eventually(async () => (await podsOf('slow')).length === 2, 5000, 'second pod after 10 s');
  });

  it('runs Indexed jobs with one pod per index and lists completed indexes', async () => {
    const failedOnce = new Set<string>();
    await start((pod) => {
      const index = pod.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'] ?? '';
      if (index === '1' && !failedOnce.has(index)) {
        failedOnce.add(index);
        return { phase: 'Failed' };
      }
      return { phase: 'Succeeded' };
    });
    await jobs().create(job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    await eventually(() => condition('idx', 'Complete'), 10_000, 'Complete');
    const status = (await jobs().get('default', 'idx'))?.status;
    expect(status).toMatchObject({ succeeded: 3, failed: 1, completedIndexes: '0-2' });
    const created = await podsOf('idx');
    expect(created).toHaveLength(4);
    const indexes = created
      .map((p) => p.metadata?.labels?.['batch.kubernetes.io/job-completion-index'])
      .sort();
    expect(indexes).toEqual(['0', '1', '1', '2']);
    const one = created.find(
      (p) => p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'] === '2',
    );
    expect(one?.metadata?.name).toMatch(/^idx-2-[a-z0-9]{5}$/);
    expect(one?.spec?.hostname).toBe('idx-2');
    expect(one?.spec?.containers[0]?.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX')).toMatchObject({
      valueFrom: {
        fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
      },
    });
  });

  it('counts container restarts of OnFailure pods against the back-off limit', async () => {
    await start(() => ({ phase: 'Running', restartCount: 2 }));
    await jobs().create(job('restarts', { backoffLimit: 2 }, 'OnFailure'));
    const failed = await eventually(() => condition('restarts', 'Failed'), 10_000, 'Failed');
    expect(failed.reason).toBe('BackoffLimitExceeded');
    // The running pod was deleted and, the Job having failed, counted as a failure.
    await eventually(async () => (await podsOf('restarts')).length === 0, 5000, 'pod removed');
    expect((await jobs().get('default', 'restarts'))?.status).toMatchObject({ failed: 1 });
  });

  it('fails with DeadlineExceeded once activeDeadlineSeconds pass on the clock', async () => {
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    await start(() => ({ phase: 'Running' }), clock);
    await jobs().create(job('deadline', { activeDeadlineSeconds: 30 }));
    await eventually(
      async () => (await jobs().get('default', 'deadline'))?.status?.ready === 1,
      5000,
      'running',
    );
    clock.advance(30_000);
    const failed = await eventually(() => condition('deadline', 'Failed'), 5000, 'Failed');
    expect(failed).toMatchObject({
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    });
    expect(String((await jobs().get('default', 'deadline'))?.status?.startTime)).toBe('2026-03-01T10:00:00Z');
  });

  it('creates nothing while suspended and starts the clock on resume', async () => {
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    await start(() => undefined, clock);
    await jobs().create(job('later', { suspend: true }));
    const suspended = await eventually(() => condition('later', 'Suspended'), 5000, 'Suspended');
    expect(suspended.reason).toBe('JobSuspended');
    expect((await jobs().get('default', 'later'))?.status?.startTime).toBeUndefined();
    expect(await podsOf('later')).toHaveLength(0);
    clock.advance(60_000);
    await jobs().mutate('default', 'later', (live) => {
      if (live.spec) live.spec.suspend = false;
      return live;
    });
    await eventually(async () => (await podsOf('later')).length === 1, 5000, 'pod after resume');
    const resumed = await eventually(
      async () =>
        (await jobs().get('default', 'later'))?.status?.conditions?.find((c) => c.status === 'False'),
      5000,
      'Suspended=False',
    );
    expect(resumed).toMatchObject({ type: 'Suspended', reason: 'JobResumed' });
    expect(String((await jobs().get('default', 'later'))?.status?.startTime)).toBe('2026-03-01T10:01:00Z');
  });

  it('without completions, lets running pods finish after the first success and then completes', async () => {
    let first = true;
    await start(() => {
      const fate: PodFate = first ? { phase: 'Succeeded' } : { phase: 'Running' };
      first = false;
      return fate;
    });
    await jobs().create(job('queue', { parallelism: 2 }));
    await eventually(
      async () => (await jobs().get('default', 'queue'))?.status?.succeeded === 1,
      5000,
      'one success',
    );
    const running = await eventually(
      async () => {
        const found = (await podsOf('queue')).filter((p) => p.status?.phase === 'Running');
        return found.length === 1 ? found : undefined;
      },
      5000,
      'the other pod running',
    );
    expect(await condition('queue', 'Complete')).toBeUndefined();
    await pods().mutate(
      'default',
      running[0]?.metadata?.name ?? '',
      (live) => {
        live.status = { ...live.status, phase: 'Succeeded' };
        return live;
      },
      { subresource: 'status' },
    );
    await eventually(() => condition('queue', 'Complete'), 5000, 'Complete');
    expect((await jobs().get('default', 'queue'))?.status?.succeeded).toBe(2);
    expect(await podsOf('queue')).toHaveLength(2);
  });

  it('keeps counting pods that are deleted, and replaces a running pod deleted by a user', async () => {
    await start((pod) => (pod.metadata?.name?.startsWith('keep-') ? { phase: 'Running' } : undefined));
    await jobs().create(job('keep', { completions: 1, backoffLimit: 6 }));
    const first = await eventually(async () => (await podsOf('keep'))[0], 5000, 'first pod');
    await eventually(
      async () => (await pods().get('default', first.metadata?.name ?? ''))?.status?.phase === 'Running',
    );
    await pods().delete('default', first.metadata?.name ?? '');
    await eventually(
      async () => (await jobs().get('default', 'keep'))?.status?.failed === 1,
      5000,
      'deletion counted',
    );
    await eventually(
      async () => (await pods().get('default', first.metadata?.name ?? '')) === undefined,
      5000,
      'gone',
    );
    const second = await eventually(
      async () => (await podsOf('keep')).find((p) => p.metadata?.name !== first.metadata?.name),
      5000,
      'replacement',
    );
    // A succeeded pod deleted right away is still counted once its finalizer is released.
    await pods().mutate(
      'default',
      second.metadata?.name ?? '',
      (live) => {
        live.status = { ...live.status, phase: 'Succeeded' };
        return live;
      },
      { subresource: 'status' },
    );
    await pods().delete('default', second.metadata?.name ?? '');
    await eventually(() => condition('keep', 'Complete'), 5000, 'Complete');
    expect((await jobs().get('default', 'keep'))?.status).toMatchObject({ succeeded: 1, failed: 1 });
  });

  it('scales down to a lower parallelism by deleting pods without counting them as failures', async () => {
    await start(() => ({ phase: 'Running' }));
    await jobs().create(job('wide', { completions: 10, parallelism: 4 }));
    await eventually(
      async () => (await jobs().get('default', 'wide'))?.status?.active === 4,
      5000,
      '4 active',
    );
    await jobs().mutate('default', 'wide', (live) => {
      if (live.spec) live.spec.parallelism = 1;
      return live;
    });
    await eventually(async () => (await podsOf('wide')).length === 1, 5000, 'scaled to 1');
    const status = (await jobs().get('default', 'wide'))?.status;
    expect(status?.active).toBe(1);
    expect(status?.failed).toBeUndefined();
  });

  it('releases the finalizers of pods whose Job is deleted', async () => {
    await start(() => ({ phase: 'Running' }));
    await jobs().create(job('gone'));
    const pod = await eventually(async () => (await podsOf('gone'))[0], 5000, 'pod');
    await jobs().delete('default', 'gone', { propagationPolicy: 'Background' });
    await eventually(
      async () =>
        !(await pods().get('default', pod.metadata?.name ?? ''))?.metadata?.finalizers?.includes(
          jobTrackingFinalizer,
        ),
      5000,
      'finalizer released',
    );
  });

  it('picks up where a stopped controller left off without recounting or re-creating pods', async () => {
    h = await startControllerHarness([jobControllerWith()]);
    const firstRun = scriptPods(h.ctx, () => ({ phase: 'Succeeded' }));
    await jobs().create(job('resume', { completions: 6, parallelism: 2 }));
    await eventually(
      async () => ((await jobs().get('default', 'resume'))?.status?.succeeded ?? 0) >= 2,
      5000,
      'two done',
    );
    firstRun.stop();
    h.manager.stop();
    const store = h.store;
    h = await startControllerHarness([jobControllerWith()], { store });
    scriptPods(h.ctx, () => ({ phase: 'Succeeded' }));
    await eventually(() => condition('resume', 'Complete'), 10_000, 'Complete after restart');
    expect((await jobs().get('default', 'resume'))?.status?.succeeded).toBe(6);
    expect(await podsOf('resume')).toHaveLength(6);
  });
});
