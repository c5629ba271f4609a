import type { V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { evictionFor, tolerates } from './taintEviction';

const unreachable: V1Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const dedicated: V1Taint = { key: 'dedicated', value: 'db', effect: 'NoExecute' };
const added = new Date('2026-01-01T00:00:00Z');
const pod = (tolerations: V1Toleration[]): V1Pod => ({ spec: { containers: [], tolerations } });

describe('taint eviction', () => {
  it('matches tolerations as Kubernetes does', () => {
    expect(tolerates({ operator: 'Exists' }, dedicated)).toBe(true);
    expect(tolerates({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }, dedicated)).toBe(false);
    expect(tolerates({ key: 'dedicated', value: 'db' }, dedicated)).toBe(true);
    expect(tolerates({ key: 'dedicated', operator: 'Equal', value: 'web' }, dedicated)).toBe(false);
    expect(tolerates({ key: 'other', operator: 'Exists' }, dedicated)).toBe(false);
  });

  it('evicts at once when a NoExecute taint is not tolerated', () => {
    expect(evictionFor(pod([]), [dedicated], () => added)).toEqual({ at: 'now' });
  });

  it('evicts when the shortest toleration runs out, counted from when the taint was added', () => {
    const p = pod([
      { key: unreachable.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'dedicated', operator: 'Exists', tolerationSeconds: 2 },
    ]);
    expect(evictionFor(p, [unreachable], () => added)).toEqual({ at: new Date('2026-01-01T00:05:00Z') });
    expect(evictionFor(p, [unreachable, dedicated], () => added)).toEqual({
      at: new Date('2026-01-01T00:00:02Z'),
    });
  });

  it('never evicts pods tolerating without a time limit, and ignores NoSchedule taints', () => {
    const p = pod([{ operator: 'Exists' }]);
    expect(evictionFor(p, [unreachable], () => added)).toBeUndefined();
    expect(evictionFor(pod([]), [{ key: 'x', effect: 'NoSchedule' }], () => added)).toBeUndefined();
  });
});
