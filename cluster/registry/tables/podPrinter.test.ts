import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podCells } from './podPrinter';

const now = new Date('2026-01-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const min = 60_000;

function pod(overrides: Partial<V1Pod> = {}): V1Pod {
  return {
    metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(10 * min) as unknown as Date },
    spec: { containers: [{ name: 'app', image: 'nginx' }], nodeName: 'node-1' },
    status: { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] },
    ...overrides,
  };
}

const running = { running: { startedAt: ago(9 * min) as unknown as Date } };

describe('podCells', () => {
  it('prints a ready running pod with wide cells', () => {
    const p = pod({
      status: {
        phase: 'Running',
        podIPs: [{ ip: '10.244.1.5' }],
        containerStatuses: [
          { name: 'app', image: 'nginx', imageID: '', ready: true, restartCount: 0, state: running },
        ],
      },
    });
    expect(podCells(p, now)).toEqual([
      'web',
      '1/1',
      'Running',
      '0',
      '10m',
      '10.244.1.5',
      'node-1',
      '<none>',
      '<none>',
    ]);
  });

  it('shows ContainerCreating and <none> for a pending pod without IP', () => {
    const p = pod({
      spec: { containers: [{ name: 'app' }] },
      status: {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'app',
            image: 'nginx',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating' } },
          },
        ],
      },
    });
    expect(podCells(p, now).slice(1, 7)).toEqual([
      '0/1',
      'ContainerCreating',
      '0',
      '10m',
      '<none>',
      '<none>',
    ]);
  });

  it('shows CrashLoopBackOff with restarts and when the last one happened', () => {
    const p = pod({
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            image: 'nginx',
            imageID: '',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: {
              terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * min) as unknown as Date },
            },
          },
        ],
      },
    });
    expect(podCells(p, now).slice(1, 4)).toEqual(['0/1', 'CrashLoopBackOff', '3 (5m ago)']);
  });

  it('shows Completed for a succeeded pod and ExitCode for a reasonless failure', () => {
    const done = pod({
      status: {
        phase: 'Succeeded',
        containerStatuses: [
          {
            name: 'app',
            image: 'x',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
          },
        ],
      },
    });
    expect(podCells(done, now)[2]).toBe('Completed');
    const failed = pod({
      status: {
        phase: 'Failed',
        containerStatuses: [
          {
            name: 'app',
            image: 'x',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 137 } },
          },
        ],
      },
    });
    expect(podCells(failed, now)[2]).toBe('ExitCode:137');
  });

  it('counts init containers as Init:x/y and reports init failures', () => {
    const spec = { initContainers: [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'app' }] };
    const initStatus = (name: string, state: object) => ({
      name,
      image: 'x',
      imageID: '',
      ready: false,
      restartCount: 0,
      state,
    });
    const second = pod({
      spec,
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          initStatus('a', { terminated: { exitCode: 0, reason: 'Completed' } }),
          initStatus('b', { running: {} }),
        ],
        containerStatuses: [initStatus('app', { waiting: { reason: 'PodInitializing' } })],
      },
    });
    expect(podCells(second, now).slice(1, 3)).toEqual(['0/1', 'Init:1/2']);
    const crashing = pod({
      spec,
      status: {
        phase: 'Pending',
        initContainerStatuses: [initStatus('a', { waiting: { reason: 'CrashLoopBackOff' } })],
      },
    });
    expect(podCells(crashing, now)[2]).toBe('Init:CrashLoopBackOff');
    const failed = pod({
      spec,
      status: { phase: 'Pending', initContainerStatuses: [initStatus('a', { terminated: { exitCode: 2 } })] },
    });
    expect(podCells(failed, now)[2]).toBe('Init:ExitCode:2');
  });

  it('counts a started sidecar (restartable init container) as a ready container', () => {
    const p = pod({
      spec: { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'app' }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [
          {
            name: 'proxy',
            image: 'x',
            imageID: '',
            ready: true,
            started: true,
            restartCount: 1,
            state: running,
          },
        ],
        containerStatuses: [
          { name: 'app', image: 'x', imageID: '', ready: true, restartCount: 2, state: running },
        ],
      },
    });
    expect(podCells(p, now).slice(1, 4)).toEqual(['2/2', 'Running', '3']);
  });

  it('shows Terminating for a pod being deleted, but not once it has finished', () => {
    const deleting = pod({
      metadata: { name: 'web', creationTimestamp: ago(min) as unknown as Date, deletionTimestamp: now },
    });
    expect(podCells(deleting, now)[2]).toBe('Terminating');
    const finished = pod({
      metadata: { name: 'web', deletionTimestamp: now },
      status: { phase: 'Succeeded' },
    });
    expect(podCells(finished, now)[2]).toBe('Succeeded');
  });

  it('shows NotReady when a container completed while another still runs without Ready', () => {
    const p = pod({
      spec: { containers: [{ name: 'a' }, { name: 'b' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'a',
            image: 'x',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
          },
          { name: 'b', image: 'x', imageID: '', ready: true, restartCount: 0, state: running },
        ],
      },
    });
    expect(podCells(p, now).slice(1, 3)).toEqual(['1/2', 'NotReady']);
  });

  it('prints SchedulingGated, readiness gates and the nominated node', () => {
    const p = pod({
      spec: {
        containers: [{ name: 'app' }],
        readinessGates: [{ conditionType: 'x/ready' }, { conditionType: 'y/ready' }],
      },
      status: {
        phase: 'Pending',
        nominatedNodeName: 'node-2',
        conditions: [
          { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' },
          { type: 'x/ready', status: 'True' },
        ],
      },
    });
    const cells = podCells(p, now);
    expect(cells[2]).toBe('SchedulingGated');
    expect(cells.slice(7)).toEqual(['node-2', '1/2']);
  });
});
