import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  exitCodeOf,
  outcome,
  type PodRun,
  runFromStatus,
  runMsOf,
  simulatedPodStatus,
} from './simulatedPodStatus';

const pod = (restartPolicy: string, annotations: Record<string, string> = {}): V1Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u1', annotations },
  spec: {
    restartPolicy,
    initContainers: [{ name: 'init', image: 'busybox' }],
    containers: [
      { name: 'a', image: 'registry.local:5000/app:1' },
      { name: 'b', image: 'nginx' },
    ],
  },
  status: { phase: 'Pending', qosClass: 'Burstable' },
});

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:00:05Z');
const run: PodRun = {
  hostIP: '10.89.0.2',
  podIP: '10.245.1.2',
  startTime: t0,
  startedAt: t0,
  restartCount: 0,
};

describe('simulated pod status', () => {
  it('reads run time and exit code from annotations, with defaults', () => {
    expect(runMsOf(pod('Never'))).toBe(100);
    expect(runMsOf(pod('Never', { 'sim.kubedesk.io/run-ms': '2500' }))).toBe(2500);
    expect(runMsOf(pod('Never', { 'sim.kubedesk.io/run-ms': 'soon' }))).toBe(100);
    expect(exitCodeOf(pod('Never', { 'sim.kubedesk.io/exit-code': '2' }))).toBe(2);
    expect(exitCodeOf(pod('Never'))).toBe(0);
  });

  it('decides between completion and restart by exit code and restart policy', () => {
    expect(outcome(pod('Never'), 0)).toBe('Succeeded');
    expect(outcome(pod('Never'), 1)).toBe('Failed');
    expect(outcome(pod('OnFailure'), 0)).toBe('Succeeded');
    expect(outcome(pod('OnFailure'), 1)).toBe('Restart');
  });

  it('reports every container running and ready, init containers completed, and keeps qosClass', () => {
    const status = simulatedPodStatus(pod('Always'), run, t0);
    expect(status.phase).toBe('Running');
    expect(status.qosClass).toBe('Burstable');
    expect(status.containerStatuses?.map((c) => [c.name, c.ready, c.started])).toEqual([
      ['a', true, true],
      ['b', true, true],
    ]);
    expect(status.containerStatuses?.[0]?.imageID).toMatch(/^registry\.local:5000\/app@sha256:[0-9a-f]{64}$/);
    expect(status.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
  });

  it('names unready containers when the pod is annotated not ready', () => {
    const status = simulatedPodStatus(pod('Always', { 'sim.kubedesk.io/ready': 'false' }), run, t0);
    expect(status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [a b]',
    });
  });

  it('keeps transition times of conditions that did not change', () => {
    const first = { ...pod('Always'), status: simulatedPodStatus(pod('Always'), run, t0) };
    const again = simulatedPodStatus(first, run, t1);
    expect(again.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(
      '2026-01-01T00:00:00Z',
    );
  });

  it('reports a restart with the previous attempt as lastState, and reads its run back', () => {
    const restarted: PodRun = {
      ...run,
      startedAt: t1,
      restartCount: 1,
      last: { exitCode: 1, startedAt: t0, finishedAt: t1 },
    };
    const status = simulatedPodStatus(pod('OnFailure'), restarted, t1);
    const a = status.containerStatuses?.[0];
    expect(a?.restartCount).toBe(1);
    expect(a?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(a?.containerID).not.toBe(a?.lastState?.terminated?.containerID);
    expect(runFromStatus({ ...pod('OnFailure'), status })).toEqual(restarted);
  });

  it('reports a finished pod with terminated containers and PodCompleted conditions', () => {
    const status = simulatedPodStatus(pod('Never'), run, t1, { exitCode: 0, finishedAt: t1 });
    expect(status.phase).toBe('Succeeded');
    expect(status.conditions?.find((c) => c.type === 'ContainersReady')?.reason).toBe('PodCompleted');
    expect(status.containerStatuses?.[1]?.state?.terminated).toMatchObject({
      exitCode: 0,
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:05Z',
    });
    expect(runFromStatus({ ...pod('Never'), status })).toBeUndefined();
  });
});
