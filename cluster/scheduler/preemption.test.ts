import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { preempt, splitByBudgetViolation } from './preemption';
import { SchedulingAlgorithm } from './schedulingAlgorithm';
import { emptyClusterProfile, info, testCluster, testNode, testPod } from './testing/fixtures';

function diagnose(cluster: ReturnType<typeof testCluster>, pod: ReturnType<typeof info>) {
  const result = new SchedulingAlgorithm(emptyClusterProfile).schedule(pod, cluster);
  if (result.kind !== 'unschedulable') throw new Error(`expected unschedulable, got ${result.kind}`);
  return result.diagnosis;
}

describe('preemption', () => {
  it('evicts the fewest lower-priority pods that make room', () => {
    const cluster = testCluster(
      [testNode('n1', { cpu: '4' }), testNode('n2', { cpu: '4' })],
      [
        testPod('low-a', { nodeName: 'n1', priority: 0, requests: { cpu: '2' } }),
        testPod('low-b', { nodeName: 'n1', priority: 0, requests: { cpu: '2' } }),
        testPod('mid', { nodeName: 'n2', priority: 50, requests: { cpu: '2' } }),
        testPod('low-c', { nodeName: 'n2', priority: 0, requests: { cpu: '2' } }),
      ],
    );
    const pod = info('high', { priority: 100, requests: { cpu: '2' } });
    const result = preempt(pod, diagnose(cluster, pod), cluster, () => 0);
    // Each node frees room by evicting one priority-0 pod (n2 keeps "mid"); all criteria tie, so
    // the first candidate wins. On n1, low-a is let back first, so low-b goes.
    expect(result.nominated?.node.name).toBe('n1');
    expect(result.nominated?.victims.map((v) => v.key)).toEqual(['default/low-b']);
    expect(result.message).toBeUndefined();
  });

  it('prefers the node whose victims have the lowest priority', () => {
    const cluster = testCluster(
      [testNode('n1', { cpu: '2' }), testNode('n2', { cpu: '2' })],
      [
        testPod('mid', { nodeName: 'n1', priority: 50, requests: { cpu: '2' } }),
        testPod('low', { nodeName: 'n2', priority: 10, requests: { cpu: '2' } }),
      ],
    );
    const pod = info('high', { priority: 100, requests: { cpu: '2' } });
    const result = preempt(pod, diagnose(cluster, pod), cluster, () => 0);
    expect(result.nominated?.node.name).toBe('n2');
    expect(result.nominated?.victims.map((v) => v.key)).toEqual(['default/low']);
  });

  it('explains why preemption cannot help', () => {
    const cluster = testCluster(
      [
        testNode('cordoned', { unschedulable: true }),
        testNode('full', { cpu: '2' }),
        testNode('small', { cpu: '1' }),
      ],
      [testPod('peer', { nodeName: 'full', priority: 100, requests: { cpu: '2' } })],
    );
    const pod = info('p', { priority: 100, requests: { cpu: '2' } });
    expect(preempt(pod, diagnose(cluster, pod), cluster).message).toBe(
      'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    );
  });

  it('does not preempt for pods with preemptionPolicy Never', () => {
    const cluster = testCluster(
      [testNode('n1', { cpu: '1' })],
      [testPod('low', { nodeName: 'n1', requests: { cpu: '1' } })],
    );
    const pod = info('p', { priority: 100, preemptionPolicy: 'Never', requests: { cpu: '1' } });
    expect(preempt(pod, diagnose(cluster, pod), cluster).message).toBe(
      'preemption: not eligible due to preemptionPolicy=Never.',
    );
  });

  function budget(
    app: string,
    disruptionsAllowed: number,
    extra: Partial<V1PodDisruptionBudget> = {},
  ): V1PodDisruptionBudget {
    return {
      metadata: { name: `${app}-pdb`, namespace: 'default' },
      spec: { selector: { matchLabels: { app } } },
      status: { disruptionsAllowed, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
      ...extra,
    };
  }

  it('counts a budget down pod by pod; pods already disrupted or in other namespaces do not count', () => {
    const pods = ['a', 'b', 'c'].map((n) => info(n, { labels: { app: 'db' } }));
    const other = info('elsewhere', { namespace: 'other', labels: { app: 'db' } });
    const unlabelled = info('plain');
    const split = splitByBudgetViolation([...pods, other, unlabelled], [budget('db', 1)]);
    expect(split.violating.map((p) => p.key)).toEqual(['default/b', 'default/c']);
    expect(split.nonViolating.map((p) => p.key)).toEqual(['default/a', 'other/elsewhere', 'default/plain']);

    const disrupted = budget('db', 1);
    if (disrupted.status) disrupted.status.disruptedPods = { a: new Date() };
    expect(splitByBudgetViolation(pods, [disrupted]).violating.map((p) => p.key)).toEqual(['default/c']);
    const everything = budget('db', 0, { spec: { selector: {} } });
    expect(splitByBudgetViolation(pods, [everything]).violating).toEqual([]);
  });

  it('spares pods a budget protects when other victims make room', () => {
    const cluster = testCluster(
      [testNode('n1', { cpu: '4' })],
      [
        testPod('guarded', { nodeName: 'n1', priority: 0, requests: { cpu: '2' }, labels: { app: 'db' } }),
        testPod('free', { nodeName: 'n1', priority: 10, requests: { cpu: '2' }, labels: { app: 'web' } }),
      ],
    );
    const pod = info('high', { priority: 100, requests: { cpu: '2' } });
    const diagnosis = diagnose(cluster, pod);
    // Without budgets the least important pod goes; with one guarding it, the other does.
    expect(preempt(pod, diagnosis, cluster, () => 0).nominated?.victims.map((v) => v.key)).toEqual([
      'default/guarded',
    ]);
    const result = preempt(pod, diagnosis, cluster, () => 0, [budget('db', 0)]);
    expect(result.nominated?.victims.map((v) => v.key)).toEqual(['default/free']);
    expect(result.nominated?.pdbViolations).toBe(0);
  });

  it('prefers the node with fewer budget violations over lower-priority victims', () => {
    const cluster = testCluster(
      [testNode('n1', { cpu: '2' }), testNode('n2', { cpu: '2' })],
      [
        testPod('guarded', { nodeName: 'n1', priority: 0, requests: { cpu: '2' }, labels: { app: 'db' } }),
        testPod('free', { nodeName: 'n2', priority: 50, requests: { cpu: '2' }, labels: { app: 'web' } }),
      ],
    );
    const pod = info('high', { priority: 100, requests: { cpu: '2' } });
    const diagnosis = diagnose(cluster, pod);
    expect(preempt(pod, diagnosis, cluster, () => 0).nominated?.node.name).toBe('n1');
    const result = preempt(pod, diagnosis, cluster, () => 0, [budget('db', 0)]);
    expect(result.nominated?.node.name).toBe('n2');
    // When every node would break a budget, preemption still goes ahead, as kube-scheduler's does.
    const both = preempt(pod, diagnosis, cluster, () => 0, [budget('db', 0), budget('web', 0)]);
    expect(both.nominated?.node.name).toBe('n1');
    expect(both.nominated?.pdbViolations).toBe(1);
  });
});
