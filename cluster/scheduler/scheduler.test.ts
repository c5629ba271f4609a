// The scheduler on the controller harness with simulated nodes: binding, cordons, taints, the
// FailedScheduling message and event, and retrying when the cluster changes.

import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResourceClient } from '../controllers/runtime/clusterClient';
import { resources } from '../controllers/runtime/resources';
import {
  type ControllerHarness,
  eventually,
  startControllerHarness,
} from '../controllers/testing/controllerHarness';
import { type SimulatedNodes, startSimulatedNodes } from '../simulatedNodes/simulatedNodes';
import { createScheduler } from './scheduler';

let harness: ControllerHarness;
let nodes: SimulatedNodes;
let pods: ResourceClient<V1Pod>;

async function start(nodeCount: number) {
  harness = await startControllerHarness([
    createScheduler({ flushIntervalMs: 50, initialBackoffMs: 10, random: () => 0 }),
  ]);
  nodes = await startSimulatedNodes(harness.ctx, { count: nodeCount });
  pods = harness.ctx.client.resource(resources.pods);
}

afterEach(async () => {
  nodes?.stop();
  await harness?.stop();
});

function pod(name: string, requests: Record<string, string> = {}, spec: Partial<V1Pod['spec']> = {}): V1Pod {
  return {
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests } }], ...spec },
  };
}

const boundNode = (name: string) =>
  eventually(async () => (await pods.get('default', name))?.spec?.nodeName, 10_000, `${name} bound`);

async function eventsFor(name: string): Promise<CoreV1Event[]> {
  const { items } = await harness.ctx.client.resource(resources.events).list('default');
  return items.filter((e) => e.involvedObject.name === name);
}

describe('scheduler', () => {
  it('binds a pod to a node and records a Scheduled event', async () => {
    await start(2);
    await pods.create(pod('web', { cpu: '100m', memory: '64Mi' }));
    const node = await boundNode('web');
    expect(['sim-node-1', 'sim-node-2']).toContain(node);
    const scheduled = await eventually(
      async () => (await eventsFor('web')).find((e) => e.reason === 'Scheduled'),
      5_000,
      'Scheduled event',
    );
    expect(scheduled.message).toBe(`Successfully assigned default/web to ${node}`);
    expect(scheduled.source?.component).toBe('default-scheduler');
  });

  it('spreads pods over nodes by least allocated resources', async () => {
    await start(3);
    for (let i = 0; i < 6; i++) await pods.create(pod(`spread-${i}`, { cpu: '500m', memory: '512Mi' }));
    const placed = await Promise.all(Array.from({ length: 6 }, (_, i) => boundNode(`spread-${i}`)));
    const perNode = new Map<string, number>();
    for (const n of placed) perNode.set(n, (perNode.get(n) ?? 0) + 1);
    expect([...perNode.values()]).toEqual([2, 2, 2]);
  });

  it('never places pods on a cordoned node', async () => {
    await start(2);
    await harness.ctx.client.resource(resources.nodes).mutate(undefined, 'sim-node-1', (live) => {
      live.spec = { ...live.spec, unschedulable: true };
      return live;
    });
    await eventually(
      () => harness.ctx.informers.for(resources.nodes).get(undefined, 'sim-node-1')?.spec?.unschedulable,
      5_000,
    );
    for (let i = 0; i < 5; i++) await pods.create(pod(`c-${i}`));
    for (let i = 0; i < 5; i++) expect(await boundNode(`c-${i}`)).toBe('sim-node-2');
  });

  it('keeps pods off tainted nodes unless they tolerate the taint', async () => {
    await start(2);
    await nodes.add({ name: 'gpu', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    for (let i = 0; i < 4; i++) await pods.create(pod(`t-${i}`));
    await pods.create(
      pod(
        'tolerant',
        {},
        {
          nodeSelector: { 'kubernetes.io/hostname': 'gpu' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
        },
      ),
    );
    for (let i = 0; i < 4; i++) expect(await boundNode(`t-${i}`)).not.toBe('gpu');
    expect(await boundNode('tolerant')).toBe('gpu');
  });

  it('leaves an impossible pod Pending with the FailedScheduling condition and event', async () => {
    await start(3);
    await pods.create(pod('huge', { memory: '1Ti' }));
    const expected =
      '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    const condition = await eventually(
      async () =>
        (await pods.get('default', 'huge'))?.status?.conditions?.find((c) => c.type === 'PodScheduled'),
      5_000,
      'PodScheduled condition',
    );
    expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable', message: expected });
    const live = await pods.get('default', 'huge');
    expect(live?.status?.phase).toBe('Pending');
    expect(live?.spec?.nodeName).toBeUndefined();
    const event = await eventually(
      async () => (await eventsFor('huge')).find((e) => e.reason === 'FailedScheduling'),
      5_000,
      'FailedScheduling event',
    );
    expect(event).toMatchObject({ type: 'Warning', message: expected });
  });

  it('explains each node and what preemption could not do', async () => {
    await start(3);
    await harness.ctx.client.resource(resources.nodes).mutate(undefined, 'sim-node-3', (live) => {
      live.spec = { ...live.spec, unschedulable: true };
      return live;
    });
    await pods.create(pod('filler-1', { memory: '6Gi' }, { nodeName: 'sim-node-1' }));
    await pods.create(pod('filler-2', { memory: '6Gi' }, { nodeName: 'sim-node-2' }));
    await eventually(
      () => harness.ctx.informers.for(resources.nodes).get(undefined, 'sim-node-3')?.spec?.unschedulable,
      5_000,
    );
    await pods.create(pod('big', { memory: '4Gi' }));
    const event = await eventually(
      async () => (await eventsFor('big')).find((e) => e.reason === 'FailedScheduling'),
      5_000,
      'FailedScheduling event',
    );
    expect(event.message).toBe(
      '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient memory. ' +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  it('schedules a waiting pod once a node that fits it is added', async () => {
    await start(1);
    await pods.create(pod('later', { cpu: '6' }));
    await eventually(
      async () =>
        (await pods.get('default', 'later'))?.status?.conditions?.some((c) => c.reason === 'Unschedulable'),
      5_000,
      'unschedulable',
    );
    await nodes.add({ name: 'big', capacity: { cpu: '8' } });
    expect(await boundNode('later')).toBe('big');
  });

  it('schedules a waiting pod once another pod on a full node is deleted', async () => {
    await start(1);
    await pods.create(pod('first', { cpu: '3' }));
    expect(await boundNode('first')).toBe('sim-node-1');
    await pods.create(pod('second', { cpu: '3' }));
    await eventually(
      async () =>
        (await pods.get('default', 'second'))?.status?.conditions?.some((c) => c.reason === 'Unschedulable'),
      5_000,
      'unschedulable',
    );
    await pods.delete('default', 'first', { gracePeriodSeconds: 0 });
    expect(await boundNode('second')).toBe('sim-node-1');
  });

  it('preempts lower-priority pods for a higher-priority one', async () => {
    await start(1);
    await pods.create(pod('low', { cpu: '3' }, { priority: 0 }));
    expect(await boundNode('low')).toBe('sim-node-1');
    await pods.create(pod('high', { cpu: '3' }, { priority: 1000 }));
    const nominated = await eventually(
      async () => (await pods.get('default', 'high'))?.status?.nominatedNodeName,
      5_000,
      'nominated node',
    );
    expect(nominated).toBe('sim-node-1');
    expect(await boundNode('high')).toBe('sim-node-1');
    const preempted = await eventually(
      async () => (await eventsFor('low')).find((e) => e.reason === 'Preempted'),
      5_000,
      'Preempted event',
    );
    expect(preempted.message).toMatch(/^Preempted by pod .+ on node sim-node-1$/);
  });

  it('preempts on the node where no PodDisruptionBudget is broken', async () => {
    await start(2);
    await harness.ctx.client.resource(resources.podDisruptionBudgets).create({
      metadata: { name: 'db', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'db' } }, maxUnavailable: 0 },
    });
    await eventually(() => harness.ctx.informers.for(resources.podDisruptionBudgets).list().length === 1);
    // Without the budget, the priority-0 pod on sim-node-1 would be the cheaper victim.
    const guarded = pod('guarded', { cpu: '3' }, { priority: 0, nodeName: 'sim-node-1' });
    guarded.metadata = { ...guarded.metadata, labels: { app: 'db' } };
    await pods.create(guarded);
    await pods.create(pod('free', { cpu: '3' }, { priority: 50, nodeName: 'sim-node-2' }));
    await pods.create(pod('high', { cpu: '3' }, { priority: 1000 }));
    expect(await boundNode('high')).toBe('sim-node-2');
    expect((await pods.get('default', 'guarded'))?.metadata?.deletionTimestamp).toBeUndefined();
  });

  it('asks for a WaitForFirstConsumer volume on the chosen node, and binds the pod once it is bound', async () => {
    await start(2);
    const client = harness.ctx.client;
    await client.resource(resources.storageClasses).create({
      metadata: { name: 'local-path' },
      provisioner: 'rancher.io/local-path',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    await client.resource(resources.persistentVolumeClaims).create({
      metadata: { name: 'data', namespace: 'default' },
      spec: {
        storageClassName: 'local-path',
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      },
    });
    await pods.create(
      pod('db', {}, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] }),
    );
    const claims = client.resource(resources.persistentVolumeClaims);
    const selected = await eventually(
      async () =>
        (await claims.get('default', 'data'))?.metadata?.annotations?.['volume.kubernetes.io/selected-node'],
      5_000,
      'selected-node annotation',
    );
    expect((await pods.get('default', 'db'))?.spec?.nodeName).toBeUndefined();
    // Play the provisioner: a volume on the selected node, bound to the claim.
    await client.resource(resources.persistentVolumes).create({
      metadata: { name: 'pv-data' },
      spec: {
        storageClassName: 'local-path',
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        hostPath: { path: '/tmp/pv-data' },
        claimRef: { namespace: 'default', name: 'data' },
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [selected] }] },
            ],
          },
        },
      },
    });
    const claim = await claims.mutate('default', 'data', (live) => ({
      ...live,
      spec: { ...live.spec, volumeName: 'pv-data' },
    }));
    if (!claim) throw new Error('claim gone');
    await claims.updateStatus({ ...claim, status: { phase: 'Bound' } });
    expect(await boundNode('db')).toBe(selected);
  });

  it('leaves pods of other schedulers alone', async () => {
    await start(1);
    await pods.create(pod('other', {}, { schedulerName: 'my-scheduler' }));
    await pods.create(pod('mine'));
    await boundNode('mine');
    expect((await pods.get('default', 'other'))?.spec?.nodeName).toBeUndefined();
  });
});
