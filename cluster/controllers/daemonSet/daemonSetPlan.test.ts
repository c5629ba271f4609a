import type { V1DaemonSet, V1Node, V1Pod, V1Taint } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { newDaemonPod } from './daemonPods';
import { daemonSetStatus, placement, rollingUpdate, scaledCount } from './daemonSetPlan';

const now = new Date('2025-01-01T00:00:00Z');

function node(name: string, taints: V1Taint[] = []): V1Node {
  return { metadata: { name }, spec: { taints } };
}

function daemonSet(
  rolling: { maxUnavailable?: number | string; maxSurge?: number | string } = {
    maxUnavailable: 1,
    maxSurge: 0,
  },
): V1DaemonSet {
  return {
    metadata: { name: 'agent', namespace: 'default', uid: 'uid-agent', generation: 1 },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: rolling },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [{ name: 'a', image: 'agent:1' }] },
      },
    },
  };
}

let serial = 0;
function pod(
  ds: V1DaemonSet,
  nodeName: string,
  hash: string,
  state: 'ready' | 'running' | 'failed' | 'deleting' = 'ready',
  createdAt = '2024-12-01T00:00:00Z',
): V1Pod {
  const p = newDaemonPod(ds, nodeName, hash);
  p.metadata = { ...p.metadata, name: `agent-${serial++}`, creationTimestamp: createdAt as unknown as Date };
  p.spec = { ...p.spec, containers: p.spec?.containers ?? [], nodeName };
  p.status = {
    phase: state === 'failed' ? 'Failed' : 'Running',
    conditions: [{ type: 'Ready', status: state === 'ready' || state === 'deleting' ? 'True' : 'False' }],
  };
  if (state === 'deleting') p.metadata.deletionTimestamp = now;
  return p;
}

function byNode(...pods: V1Pod[]): Map<string, V1Pod[]> {
  const map = new Map<string, V1Pod[]>();
  for (const p of pods) map.set(p.spec?.nodeName ?? '', [...(map.get(p.spec?.nodeName ?? '') ?? []), p]);
  return map;
}

const names = (pods: V1Pod[]) =>
  pods.map((p) => `${p.spec?.nodeName}/${p.metadata?.labels?.['controller-revision-hash']}`);

describe('placement', () => {
  const ds = daemonSet();
  const nodes = [node('a'), node('b'), node('c', [{ key: 'dedicated', effect: 'NoExecute' }])];

  it('creates a pod on each eligible node without one and removes pods from ineligible ones', () => {
    const onTainted = pod(ds, 'c', 'h1');
    const actions = placement(ds, nodes, byNode(pod(ds, 'a', 'h1'), onTainted), 'h1', now);
    expect(actions.create).toEqual(['b']);
    expect(actions.delete).toEqual([onTainted]);
  });

  it('waits for a terminating pod before creating its replacement', () => {
    expect(placement(ds, [node('a')], byNode(pod(ds, 'a', 'h1', 'deleting')), 'h1', now).create).toEqual([]);
  });

  it('deletes failed pods and all but the oldest of duplicates', () => {
    const failed = pod(ds, 'a', 'h1', 'failed');
    const oldest = pod(ds, 'b', 'h1', 'ready', '2024-01-01T00:00:00Z');
    const younger = pod(ds, 'b', 'h1', 'ready', '2024-06-01T00:00:00Z');
    const actions = placement(ds, [node('a'), node('b')], byNode(failed, younger, oldest), 'h1', now);
    expect(actions.delete).toEqual([failed, younger]);
    expect(actions.failed).toEqual([failed]);
  });

  it('removes pods whose node is gone', () => {
    const orphaned = pod(ds, 'gone', 'h1');
    expect(placement(ds, [node('a')], byNode(pod(ds, 'a', 'h1'), orphaned), 'h1', now).delete).toEqual([
      orphaned,
    ]);
  });

  it('keeps an old Ready pod next to a new one only until the new one is available when surging', () => {
    const surge = daemonSet({ maxUnavailable: 0, maxSurge: 1 });
    const old = pod(surge, 'a', 'h1', 'ready', '2024-01-01T00:00:00Z');
    const fresh = pod(surge, 'a', 'h2', 'running', '2024-06-01T00:00:00Z');
    expect(placement(surge, [node('a')], byNode(old, fresh), 'h2', now).delete).toEqual([]);
    const ready = pod(surge, 'a', 'h2', 'ready', '2024-06-01T00:00:00Z');
    expect(placement(surge, [node('a')], byNode(old, ready), 'h2', now).delete).toEqual([old]);
  });
});

describe('rolling update', () => {
  const nodes = [node('a'), node('b'), node('c')];

  it('deletes old pods within maxUnavailable and counts unavailable new ones against it', () => {
    const ds = daemonSet({ maxUnavailable: 1, maxSurge: 0 });
    const all = [pod(ds, 'a', 'h1'), pod(ds, 'b', 'h1'), pod(ds, 'c', 'h1')];
    expect(rollingUpdate(ds, nodes, byNode(...all), 'h2', now).delete).toHaveLength(1);
    const starting = [pod(ds, 'a', 'h2', 'running'), pod(ds, 'b', 'h1'), pod(ds, 'c', 'h1')];
    expect(rollingUpdate(ds, nodes, byNode(...starting), 'h2', now).delete).toEqual([]);
    const missing = [pod(ds, 'b', 'h1'), pod(ds, 'c', 'h1')];
    expect(rollingUpdate(ds, nodes, byNode(...missing), 'h2', now).delete).toEqual([]);
    const wide = daemonSet({ maxUnavailable: '50%', maxSurge: 0 });
    expect(rollingUpdate(wide, nodes, byNode(...all), 'h2', now).delete).toHaveLength(2);
  });

  it('replaces an unavailable old pod regardless of the budget', () => {
    const ds = daemonSet({ maxUnavailable: 1, maxSurge: 0 });
    const broken = pod(ds, 'a', 'h1', 'running');
    const plan = rollingUpdate(
      ds,
      nodes,
      byNode(broken, pod(ds, 'b', 'h2', 'running'), pod(ds, 'c', 'h1')),
      'h2',
      now,
    );
    expect(plan.delete).toEqual([broken]);
  });

  it('surges new pods within maxSurge and deletes old ones once the new are available', () => {
    const ds = daemonSet({ maxUnavailable: 0, maxSurge: 1 });
    const all = [pod(ds, 'a', 'h1'), pod(ds, 'b', 'h1'), pod(ds, 'c', 'h1')];
    const first = rollingUpdate(ds, nodes, byNode(...all), 'h2', now);
    expect(first).toEqual({ delete: [], create: ['a'] });
    const surging = rollingUpdate(ds, nodes, byNode(...all, pod(ds, 'a', 'h2', 'running')), 'h2', now);
    expect(surging).toEqual({ delete: [], create: [] });
    const ready = rollingUpdate(ds, nodes, byNode(...all, pod(ds, 'a', 'h2')), 'h2', now);
    expect(names(ready.delete)).toEqual(['a/h1']);
    expect(ready.create).toEqual(['b']);
  });

  it('scales percentages up', () => {
    expect(scaledCount('10%', 3)).toBe(1);
    expect(scaledCount('50%', 3)).toBe(2);
    expect(scaledCount(2, 3)).toBe(2);
  });
});

describe('status', () => {
  it('counts desired, current, ready, available, updated and misscheduled pods', () => {
    const ds = daemonSet();
    const nodes = [node('a'), node('b'), node('c'), node('d', [{ key: 'x', effect: 'NoSchedule' }])];
    const status = daemonSetStatus(
      ds,
      nodes,
      byNode(pod(ds, 'a', 'h2'), pod(ds, 'b', 'h1', 'running'), pod(ds, 'd', 'h1')),
      'h2',
      now,
    );
    expect(status).toEqual({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 2,
      numberMisscheduled: 1,
      numberReady: 1,
      updatedNumberScheduled: 1,
      numberAvailable: 1,
      numberUnavailable: 2,
    });
  });
});
