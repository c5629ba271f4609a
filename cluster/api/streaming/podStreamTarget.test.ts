import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { containerLogProblem } from './containerLogStatus';
import { chooseContainer } from './podStreamTarget';

const pod = (containers: string[], init: string[] = [], status: V1Pod['status'] = {}): V1Pod => ({
  metadata: { name: 'web' },
  spec: {
    containers: containers.map((name) => ({ name })),
    initContainers: init.map((name) => ({ name })),
  },
  status,
});

describe('chooseContainer', () => {
  it('takes the only container when none is named', () => {
    expect(chooseContainer(pod(['app']), null)).toBe('app');
  });

  it('asks for a name among several, listing init containers too', () => {
    expect(() => chooseContainer(pod(['a', 'b'], ['setup']), null)).toThrow(
      'a container name must be specified for pod web, choose one of: [a b] or one of the init containers: [setup]',
    );
  });

  it('accepts init containers and rejects unknown names', () => {
    expect(chooseContainer(pod(['a'], ['setup']), 'setup')).toBe('setup');
    expect(() => chooseContainer(pod(['a']), 'b')).toThrow('container b is not valid for pod web');
  });
});

describe('containerLogProblem', () => {
  const withState = (state: object, lastState: object = {}) =>
    pod(['app'], [], {
      containerStatuses: [
        { name: 'app', image: 'x', imageID: '', ready: false, restartCount: 1, state, lastState },
      ],
    });

  it('allows running containers and the last run of a crashing one', () => {
    expect(containerLogProblem(withState({ running: {} }), 'app', false)).toBeUndefined();
    const crashing = withState(
      { waiting: { reason: 'CrashLoopBackOff' } },
      { terminated: { exitCode: 1, containerID: 'docker://1' } },
    );
    expect(containerLogProblem(crashing, 'app', false)).toBeUndefined();
    expect(containerLogProblem(crashing, 'app', true)).toBeUndefined();
  });

  it('words waiting and missing containers as the kubelet does', () => {
    expect(containerLogProblem(withState({ waiting: { reason: 'ContainerCreating' } }), 'app', false)).toBe(
      'container "app" in pod "web" is waiting to start: ContainerCreating',
    );
    expect(containerLogProblem(withState({ waiting: { reason: 'ImagePullBackOff' } }), 'app', false)).toBe(
      'container "app" in pod "web" is waiting to start: trying and failing to pull image',
    );
    expect(containerLogProblem(withState({ running: {} }), 'app', true)).toBe(
      'previous terminated container "app" in pod "web" not found',
    );
    expect(containerLogProblem(pod(['app']), 'app', false)).toBe(
      'container "app" in pod "web" is not available',
    );
  });
});
