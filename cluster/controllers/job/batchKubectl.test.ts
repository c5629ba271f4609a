// Acceptance: the real kubectl 1.35 runs Jobs and CronJobs on a control plane with three
// simulated nodes and a clock the test moves. Jobs: completions/parallelism sampled on every pod
// event, a failing Job stopping at its back-off limit, Indexed completion, TTL after finished,
// `kubectl wait --for=condition=complete`. CronJobs: a Job per minute as the clock advances with
// history limits, Forbid skipping while a run is active, `kubectl create job --from=cronjob/…`.
//
// Pods are bound by a tiny round-robin binder in this test (no scheduler is registered with the
// control plane yet). The node lifecycle controller is left out: jumping the clock a minute at a
// time would read as missed node heartbeats. Job pod back-off is zero here; its timing is covered
// by the unit tests.

import type { CoreV1Event, V1CronJob, V1Job, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubectlCluster, startKubectlCluster } from '../../api/testing/kubectlCluster';
import { builtinControllers } from '../builtinControllers';
import { nodeLifecycleController } from '../nodeLifecycle/nodeLifecycleController';
import { ManualClock } from '../runtime/clock';
import { resources } from '../runtime/resources';
import { eventually } from '../testing/controllerHarness';
import { jobController, jobControllerWith } from './jobController';

let cluster: KubectlCluster;
const clock = new ManualClock(new Date());
const minute = 60_000;

const ok = (...args: string[]) => cluster.ok(...args);
const json = <T>(...args: string[]) => cluster.getJson<T>(...args);
const apply = (name: string, yaml: string) => cluster.apply(name, yaml);

function jobYaml(name: string, spec: string, annotations = '', restartPolicy = 'Never'): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}
  template:
    metadata:
      annotations: {${annotations}}
    spec:
      restartPolicy: ${restartPolicy}
      containers:
      - name: work
        image: busybox
`;
}

function cronJobYaml(name: string, spec: string, annotations = ''): string {
  return `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
  schedule: "*/1 * * * *"
${spec}
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {${annotations}}
        spec:
          restartPolicy: Never
          containers:
          - name: work
            image: busybox
`;
}

async function podsOf(job: string): Promise<V1Pod[]> {
  return (await json<{ items: V1Pod[] }>('pods', '-l', `batch.kubernetes.io/job-name=${job}`)).items;
}

async function jobsOwnedBy(cronJob: string): Promise<V1Job[]> {
  const { items } = await json<{ items: V1Job[] }>('jobs');
  return items.filter((j) =>
    j.metadata?.ownerReferences?.some((r) => r.kind === 'CronJob' && r.name === cronJob),
  );
}

async function eventsFor(name: string, reason: string): Promise<CoreV1Event[]> {
  const { items } = await json<{ items: CoreV1Event[] }>(
    'events',
    '--field-selector',
    `involvedObject.name=${name},reason=${reason}`,
  );
  return items;
}

/** Moves the clock to just past the next minute boundary after both the clock and `since`. */
function advanceToNextMinute(since: Date): void {
  const from = Math.max(clock.now().getTime(), since.getTime());
  clock.set(new Date((Math.floor(from / minute) + 1) * minute + 1000));
}

/** Binds every pending pod to the simulated nodes in turn, standing in for the scheduler. */
function startBinder(): void {
  const pods = cluster.plane.controllerContext.informers.for(resources.pods);
  let next = 0;
  const bind = (pod: V1Pod) => {
    const nodes = cluster.plane.simulatedNodes?.names() ?? [];
    if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp || nodes.length === 0) return;
    const node = nodes[next++ % nodes.length] as string;
    void cluster.plane.controllerContext.client.bind(pod, node).catch(() => undefined);
  };
  pods.addHandlers({ onAdd: bind, onUpdate: (_old, pod) => bind(pod) });
}

beforeAll(async () => {
  const factories = builtinControllers
    .filter((f) => f !== nodeLifecycleController)
    .map((f) => (f === jobController ? jobControllerWith({ podFailureBackoffMs: 0 }) : f));
  cluster = await startKubectlCluster({
    name: 'batch',
    simulatedNodes: 3,
    controllers: { factories, clock },
    kubectlTimeoutMs: 120_000,
  });
  startBinder();
}, 120_000);

afterAll(() => cluster?.stop());

describe('Jobs with kubectl', () => {
  it('runs exactly 5 successful pods for completions 5, parallelism 2, never more than 2 at once', async () => {
    let active = 0;
    let maxActive = 0;
    const running = new Set<string>();
    cluster.plane.controllerContext.informers.for(resources.pods).addHandlers({
      onUpdate(_old, pod) {
        if (pod.metadata?.labels?.['batch.kubernetes.io/job-name'] !== 'five') return;
        const uid = pod.metadata.uid ?? '';
        const phase = pod.status?.phase;
        if (phase === 'Succeeded' || phase === 'Failed' || pod.metadata.deletionTimestamp)
          running.delete(uid);
        else running.add(uid);
        active = running.size;
        maxActive = Math.max(maxActive, active);
      },
      onAdd(pod) {
        if (pod.metadata?.labels?.['batch.kubernetes.io/job-name'] !== 'five') return;
        running.add(pod.metadata.uid ?? '');
        maxActive = Math.max(maxActive, running.size);
      },
    });
    await apply(
      'five',
      jobYaml('five', '  completions: 5\n  parallelism: 2', '"sim.kubedesk.io/run-ms": "150"'),
    );
    await ok('wait', '--for=condition=complete', 'job/five', '--timeout=60s');
    const job = await json<V1Job>('job', 'five');
    expect(job.status).toMatchObject({ succeeded: 5, ready: 0, terminating: 0 });
    expect(job.status?.conditions?.map((c) => [c.type, c.reason])).toEqual([
      ['SuccessCriteriaMet', 'CompletionsReached'],
      ['Complete', 'CompletionsReached'],
    ]);
    const pods = await podsOf('five');
    expect(pods).toHaveLength(5);
    expect(pods.every((p) => p.status?.phase === 'Succeeded')).toBe(true);
    expect(pods.every((p) => !p.metadata?.finalizers?.length)).toBe(true);
    expect(maxActive).toBeGreaterThan(0);
    expect(maxActive).toBeLessThanOrEqual(2);
    expect(await ok('get', 'job', 'five')).toMatch(/five\s+Complete\s+5\/5/);
    expect((await eventsFor('five', 'SuccessfulCreate')).length).toBe(5);
  });

  it('stops a failing Job at backoffLimit with Failed/BackoffLimitExceeded', async () => {
    await apply(
      'fails',
      jobYaml(
        'fails',
        '  backoffLimit: 2',
        '"sim.kubedesk.io/exit-code": "1", "sim.kubedesk.io/run-ms": "50"',
      ),
    );
    await ok('wait', '--for=condition=failed', 'job/fails', '--timeout=60s');
    const job = await json<V1Job>('job', 'fails');
    expect(job.status?.failed).toBe(3);
    expect(job.status?.conditions?.find((c) => c.type === 'Failed')).toMatchObject({
      status: 'True',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    const pods = await podsOf('fails');
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.status?.phase === 'Failed')).toBe(true);
    await eventually(
      async () => (await eventsFor('fails', 'BackoffLimitExceeded')).length === 1,
      10_000,
      'event',
    );
    expect(await ok('describe', 'job', 'fails')).toMatch(/BackoffLimitExceeded/);
  });

  it('counts OnFailure container restarts against the back-off limit', async () => {
    await apply(
      'restarts',
      jobYaml(
        'restarts',
        '  backoffLimit: 2',
        '"sim.kubedesk.io/exit-code": "1", "sim.kubedesk.io/run-ms": "50"',
        'OnFailure',
      ),
    );
    await ok('wait', '--for=condition=failed', 'job/restarts', '--timeout=60s');
    const job = await json<V1Job>('job', 'restarts');
    expect(job.status?.conditions?.find((c) => c.type === 'Failed')?.reason).toBe('BackoffLimitExceeded');
    // One pod, restarted in place, then deleted when the Job failed.
    expect((await eventsFor('restarts', 'SuccessfulCreate')).length).toBe(1);
  });

  it('runs an Indexed Job with one pod per index', async () => {
    await apply(
      'idx',
      jobYaml(
        'idx',
        '  completions: 3\n  parallelism: 3\n  completionMode: Indexed',
        '"sim.kubedesk.io/run-ms": "50"',
      ),
    );
    await ok('wait', '--for=condition=complete', 'job/idx', '--timeout=60s');
    const job = await json<V1Job>('job', 'idx');
    expect(job.status).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
    const pods = await podsOf('idx');
    expect(pods.map((p) => p.spec?.hostname).sort()).toEqual(['idx-0', 'idx-1', 'idx-2']);
    expect(pods.map((p) => p.metadata?.labels?.['batch.kubernetes.io/job-completion-index']).sort()).toEqual([
      '0',
      '1',
      '2',
    ]);
  });

  it('deletes a finished Job and its pods once ttlSecondsAfterFinished passes on the clock', async () => {
    await apply('ttl', jobYaml('ttl', '  ttlSecondsAfterFinished: 30', '"sim.kubedesk.io/run-ms": "50"'));
    await ok('wait', '--for=condition=complete', 'job/ttl', '--timeout=60s');
    expect(await podsOf('ttl')).toHaveLength(1);
    clock.advance(30_000);
    await ok('wait', '--for=delete', 'job/ttl', '--timeout=60s');
    await eventually(async () => (await podsOf('ttl')).length === 0, 30_000, 'pods removed');
  });
});

describe('CronJobs with kubectl', () => {
  it('creates a Job every minute as the clock advances and keeps the history limits', async () => {
    await apply(
      'tick',
      cronJobYaml('tick', '  successfulJobsHistoryLimit: 2', '"sim.kubedesk.io/run-ms": "50"'),
    );
    const created = new Date(String((await json<V1CronJob>('cronjob', 'tick')).metadata?.creationTimestamp));
    const scheduled: string[] = [];
    for (let run = 1; run <= 3; run++) {
      advanceToNextMinute(created);
      const at = new Date(Math.floor(clock.now().getTime() / minute) * minute);
      scheduled.push(`tick-${at.getTime() / minute}`);
      await eventually(
        async () => {
          const cronJob = await json<V1CronJob>('cronjob', 'tick');
          const jobs = await jobsOwnedBy('tick');
          const done = jobs.every((j) => j.status?.conditions?.some((c) => c.type === 'Complete'));
          return (
            done &&
            !cronJob.status?.active &&
            String(cronJob.status?.lastScheduleTime) === at.toISOString().replace('.000', '')
          );
        },
        30_000,
        `run ${run}`,
      );
    }
    await eventually(async () => (await jobsOwnedBy('tick')).length === 2, 30_000, 'two Jobs kept');
    const kept = (await jobsOwnedBy('tick')).map((j) => j.metadata?.name).sort();
    expect(kept).toEqual(scheduled.slice(1).sort());
    const status = (await json<V1CronJob>('cronjob', 'tick')).status;
    expect(status?.lastSuccessfulTime).toBeDefined();
    expect((await eventsFor('tick', 'SuccessfulDelete')).length).toBeGreaterThanOrEqual(1);
    expect((await eventsFor('tick', 'SawCompletedJob')).length).toBeGreaterThanOrEqual(1);

    // A manual run from the CronJob's template, as `kubectl create job --from` builds it client-side.
    await ok('create', 'job', 'tick-manual', '--from=cronjob/tick');
    await ok('wait', '--for=condition=complete', 'job/tick-manual', '--timeout=60s');
    const manual = await json<V1Job>('job', 'tick-manual');
    expect(manual.metadata?.annotations?.['cronjob.kubernetes.io/instantiate']).toBe('manual');
    expect(manual.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick' });
    await ok('patch', 'cronjob', 'tick', '-p', '{"spec":{"suspend":true}}');
  });

  it('skips a run under concurrencyPolicy Forbid while the previous one runs', async () => {
    await apply(
      'single',
      cronJobYaml('single', '  concurrencyPolicy: Forbid', '"sim.kubedesk.io/run-ms": "600000"'),
    );
    const created = new Date(
      String((await json<V1CronJob>('cronjob', 'single')).metadata?.creationTimestamp),
    );
    advanceToNextMinute(created);
    await eventually(
      async () => (await json<V1CronJob>('cronjob', 'single')).status?.active?.length === 1,
      30_000,
      'first run',
    );
    clock.advance(minute);
    await eventually(
      async () => (await eventsFor('single', 'JobAlreadyActive')).length > 0,
      30_000,
      'JobAlreadyActive',
    );
    expect(await jobsOwnedBy('single')).toHaveLength(1);
  });

  it('rejects a TZ prefix in the schedule as Kubernetes does', async () => {
    const result = await cluster.kubectl(['apply', '-f', '-'], {
      input: cronJobYaml('tz', '').replace('"*/1 * * * *"', '"TZ=UTC */1 * * * *"'),
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  });
});
