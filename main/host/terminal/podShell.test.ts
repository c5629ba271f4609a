import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { chooseContainer, defaultContainer, execUrl } from './podShell';

const pod = (annotation?: string): V1Pod => ({
  metadata: {
    namespace: 'default',
    name: 'web',
    ...(annotation ? { annotations: { 'kubectl.kubernetes.io/default-container': annotation } } : {}),
  },
  spec: { containers: [{ name: 'app' }, { name: 'sidecar' }] },
});

describe('choosing the container', () => {
  it('takes the annotated default container, else the first, as kubectl exec does', () => {
    expect(defaultContainer(pod())).toBe('app');
    expect(defaultContainer(pod('sidecar'))).toBe('sidecar');
    expect(defaultContainer(pod('gone'))).toBe('app');
  });

  it('takes the container asked for, and refuses one the pod does not have', () => {
    expect(chooseContainer(pod(), 'sidecar')).toBe('sidecar');
    expect(() => chooseContainer(pod(), 'db')).toThrow(
      'container db is not valid for pod default/web: choose one of app, sidecar',
    );
  });
});

describe('execUrl', () => {
  it('asks for a TTY with stdin for a shell, and stdout and stderr for a plain command', () => {
    const target = { namespace: 'team a', pod: 'web', container: 'app' };
    const shell = execUrl('https://127.0.0.1:6443', target, ['sh', '-c', 'exec sh'], { tty: true });
    expect(shell.protocol).toBe('wss:');
    expect(shell.pathname).toBe('/api/v1/namespaces/team%20a/pods/web/exec');
    expect(shell.searchParams.getAll('command')).toEqual(['sh', '-c', 'exec sh']);
    expect(Object.fromEntries([...shell.searchParams].filter(([k]) => k !== 'command'))).toEqual({
      container: 'app',
      stdout: 'true',
      stdin: 'true',
      tty: 'true',
    });
    const plain = execUrl('https://127.0.0.1:6443/', target, ['true'], { tty: false });
    expect(plain.searchParams.get('stderr')).toBe('true');
    expect(plain.searchParams.get('tty')).toBeNull();
  });
});
