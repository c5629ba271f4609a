import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  type ContainerRun,
  computePodStatus,
  containerStatus,
  type ObservedContainer,
  podPhase,
} from './podStatus';

const run = (over: Partial<ContainerRun> = {}): ContainerRun => ({
  id: 'abc',
  imageID: 'docker-pullable://sha256:1',
  attempt: 0,
  running: true,
  exitCode: 0,
  oomKilled: false,
  startedAt: '2026-01-01T00:00:00.123456789Z',
  finishedAt: '0001-01-01T00:00:00Z',
  ...over,
});

const container = (over: Partial<ObservedContainer> = {}): ObservedContainer => ({
  name: 'app',
  image: 'busybox',
  latest: run(),
  ready: true,
  started: true,
  ...over,
});

const pod = (restartPolicy = 'Always'): V1Pod => ({
  metadata: { name: 'p' },
  spec: { restartPolicy, containers: [] },
});

describe('containerStatus', () => {
  it('reports a running container with its id, image id and start time', () => {
    expect(containerStatus(container())).toMatchObject({
      containerID: 'docker://abc',
      imageID: 'docker-pullable://sha256:1',
      ready: true,
      restartCount: 0,
      state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
      lastState: {},
    });
  });

  it('shows CrashLoopBackOff with the ended run as lastState', () => {
    const status = containerStatus(
      container({
        latest: run({ attempt: 3, running: false, exitCode: 1, finishedAt: '2026-01-01T00:00:05Z' }),
        waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' },
        ready: false,
      }),
    );
    expect(status.state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } });
    expect(status.restartCount).toBe(3);
    expect(status.lastState?.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
      containerID: 'docker://abc',
    });
    expect(status.ready).toBe(false);
  });

  it('names OOMKilled and Completed terminations', () => {
    expect(
      containerStatus(container({ latest: run({ running: false, exitCode: 137, oomKilled: true }) })).state
        ?.terminated?.reason,
    ).toBe('OOMKilled');
    expect(containerStatus(container({ latest: run({ running: false }) })).state?.terminated?.reason).toBe(
      'Completed',
    );
  });

  it('waits in ContainerCreating before the first run, or with the pull error', () => {
    expect(containerStatus(container({ latest: undefined })).state).toEqual({
      waiting: { reason: 'ContainerCreating' },
    });
    expect(
      containerStatus(container({ latest: undefined, waiting: { reason: 'ErrImagePull' } })).state?.waiting
        ?.reason,
    ).toBe('ErrImagePull');
  });
});

describe('podPhase', () => {
  const observed = (containers: ObservedContainer[], init: ObservedContainer[] = []) => ({
    hostIP: '1.2.3.4',
    podIP: '10.244.1.2',
    init,
    containers,
  });

  it('is Pending until init containers succeed and every container has started', () => {
    expect(podPhase(pod(), observed([container({ latest: undefined })]))).toBe('Pending');
    expect(podPhase(pod(), observed([container()], [container({ name: 'init' })]))).toBe('Pending');
    expect(
      podPhase(
        pod(),
        observed([container()], [container({ name: 'init', latest: run({ running: false }) })]),
      ),
    ).toBe('Running');
  });

  it('ends Succeeded or Failed only when containers will not restart', () => {
    const ok = container({ latest: run({ running: false, exitCode: 0 }) });
    const bad = container({ latest: run({ running: false, exitCode: 2 }) });
    expect(podPhase(pod('Never'), observed([ok]))).toBe('Succeeded');
    expect(podPhase(pod('Never'), observed([ok, bad]))).toBe('Failed');
    expect(podPhase(pod('OnFailure'), observed([ok]))).toBe('Succeeded');
    expect(podPhase(pod('Always'), observed([ok]))).toBe('Running');
  });
});

describe('computePodStatus', () => {
  it('sets Ready and ContainersReady from container readiness, with the unready names', () => {
    const status = computePodStatus(pod(), {
      hostIP: '172.30.0.11',
      podIP: '10.244.1.2',
      init: [],
      containers: [container(), container({ name: 'side', ready: false })],
    });
    expect(status.phase).toBe('Running');
    expect(status.podIP).toBe('10.244.1.2');
    expect(status.podIPs).toEqual([{ ip: '10.244.1.2' }]);
    expect(status.hostIP).toBe('172.30.0.11');
    const byType = Object.fromEntries((status.conditions ?? []).map((c) => [c.type, c]));
    expect(byType.Initialized?.status).toBe('True');
    expect(byType.PodScheduled?.status).toBe('True');
    expect(byType.Ready).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [side]',
    });
    expect(byType.ContainersReady?.status).toBe('False');
  });

  it('keeps a condition transition time while its status is unchanged', () => {
    const before = new Date('2026-01-01T00:00:00Z');
    const p = pod();
    p.status = { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: before }] };
    const status = computePodStatus(p, { hostIP: 'h', podIP: 'i', init: [], containers: [container()] });
    expect(status.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(before);
  });
});
