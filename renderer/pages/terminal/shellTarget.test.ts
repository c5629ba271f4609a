import { describe, expect, it } from 'vitest';
import { shellTargetFromQuery, terminalLink } from './shellTarget';

describe('shellTargetFromQuery', () => {
  it('reads a pod with and without a container', () => {
    expect(shellTargetFromQuery(new URLSearchParams('pod=default/web-1&container=app'))).toEqual({
      kind: 'pod',
      namespace: 'default',
      pod: 'web-1',
      container: 'app',
    });
    expect(shellTargetFromQuery(new URLSearchParams('pod=kube-system/dns'))).toEqual({
      kind: 'pod',
      namespace: 'kube-system',
      pod: 'dns',
    });
  });

  it('reads a node', () => {
    expect(shellTargetFromQuery(new URLSearchParams('node=kubedesk-node-2'))).toEqual({
      kind: 'node',
      node: 'kubedesk-node-2',
    });
  });

  it('names no shell for a pod without a namespace, or no query', () => {
    expect(shellTargetFromQuery(new URLSearchParams('pod=web'))).toBeUndefined();
    expect(shellTargetFromQuery(new URLSearchParams('pod=default/'))).toBeUndefined();
    expect(shellTargetFromQuery(new URLSearchParams(''))).toBeUndefined();
  });
});

describe('terminalLink', () => {
  it('builds links that read back as the same target', () => {
    for (const target of [
      { kind: 'pod', namespace: 'default', pod: 'web-1', container: 'side car' },
      { kind: 'pod', namespace: 'default', pod: 'web-1' },
      { kind: 'node', node: 'kubedesk-node-1' },
    ] as const) {
      const link = terminalLink(target);
      expect(link.startsWith('#/terminal?')).toBe(true);
      expect(shellTargetFromQuery(new URLSearchParams(link.split('?')[1]))).toEqual(target);
    }
  });
});
