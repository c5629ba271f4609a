import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { planDrain } from './drainPlan';

const pod = (
  name: string,
  options: { owner?: string; phase?: string; emptyDir?: boolean; mirror?: boolean } = {},
): V1Pod => ({
  metadata: {
    name,
    namespace: 'default',
    ...(options.owner
      ? {
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: options.owner, name: 'o', uid: 'u', controller: true },
          ],
        }
      : {}),
    ...(options.mirror ? { annotations: { 'kubernetes.io/config.mirror': 'x' } } : {}),
  },
  spec: { containers: [], ...(options.emptyDir ? { volumes: [{ name: 'scratch', emptyDir: {} }] } : {}) },
  status: { phase: options.phase ?? 'Running' },
});

describe('which pods a drain evicts', () => {
  const pods = [
    pod('web', { owner: 'ReplicaSet' }),
    pod('agent', { owner: 'DaemonSet' }),
    pod('static', { mirror: true }),
    pod('loner'),
    pod('cache', { owner: 'ReplicaSet', emptyDir: true }),
    pod('done', { phase: 'Succeeded' }),
  ];

  it('leaves DaemonSet and mirror pods, refuses unmanaged and emptyDir pods, evicts the rest', () => {
    const plan = planDrain(pods, { force: false, deleteEmptyDirData: false });
    expect(plan.evict.map((p) => p.metadata?.name)).toEqual(['web', 'done']);
    expect(plan.skipped.map((s) => s.pod)).toEqual(['default/agent', 'default/static']);
    expect(plan.refused.map((r) => r.pod)).toEqual(['default/loner', 'default/cache']);
    expect(plan.refused[0]?.reason).toContain('no controller');
  });

  it('evicts unmanaged and emptyDir pods when told to', () => {
    const plan = planDrain(pods, { force: true, deleteEmptyDirData: true });
    expect(plan.evict.map((p) => p.metadata?.name)).toEqual(['web', 'loner', 'cache', 'done']);
    expect(plan.refused).toEqual([]);
  });
});
