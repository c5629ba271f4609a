import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../runtime/clock';
import type { QueueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { createNodeLifecycleController } from './nodeLifecycleController';

let h: ControllerHarness;
let clock: ManualClock;
let controller: QueueController;

const nodes = () => h.ctx.client.resource(resources.nodes);
const pods = () => h.ctx.client.resource(resources.pods);
const leases = () => h.ctx.client.resource(resources.leases);
const iso = () => clock.now().toISOString();

function readyNode(name: string, zone = 'a'): V1Node {
  const at = iso() as unknown as Date;
  return {
    metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } },
    status: {
      conditions: ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({
        type,
        status: type === 'Ready' ? 'True' : 'False',
        reason: type === 'Ready' ? 'KubeletReady' : 'KubeletHasSufficientMemory',
        lastHeartbeatTime: at,
        lastTransitionTime: at,
      })),
    },
  };
}

async function renewLease(name: string): Promise<void> {
  const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime: iso() as unknown as Date };
  const live = await leases().get('kube-node-lease', name);
  if (live) await leases().update({ ...live, spec });
  else await leases().create({ metadata: { name, namespace: 'kube-node-lease' }, spec });
}

async function runningPod(name: string, nodeName: string, tolerationSeconds?: number): Promise<V1Pod> {
  const tolerations =
    tolerationSeconds === undefined
      ? []
      : [
          {
            key: 'node.kubernetes.io/unreachable',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds,
          },
        ];
  const created = await pods().create({
    metadata: { name, namespace: 'default' },
    spec: { nodeName, tolerations, containers: [{ name: 'app', image: 'nginx' }] },
  });
  const at = iso() as unknown as Date;
  return pods().updateStatus({
    ...created,
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at }],
    },
  });
}

const node = (name: string) => nodes().get(undefined, name);
const ready = async (name: string) => (await node(name))?.status?.conditions?.find((c) => c.type === 'Ready');
const taints = async (name: string) =>
  ((await node(name))?.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
const events = async (reason: string) =>
  (await h.ctx.client.resource(resources.events).list()).items.filter(
    (e: CoreV1Event) => e.reason === reason,
  );

/** Moves the clock, keeps `alive` nodes renewing their leases, and has the controller look again. */
async function advance(ms: number, alive: string[]): Promise<void> {
  clock.advance(ms);
  for (const name of alive) await renewLease(name);
  for (const n of (await nodes().list()).items) controller.queue.add(n.metadata?.name ?? '');
}

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  h = await startControllerHarness([createNodeLifecycleController({ nodeMonitorGracePeriodMs: 40_000 })], {
    clock,
  });
  controller = h.manager.controllers.find((c) => c.name === 'node-lifecycle') as QueueController;
  for (const name of ['node-a', 'node-b']) {
    await nodes().create(readyNode(name));
    await renewLease(name);
  }
});

afterEach(async () => {
  await h.stop();
});

describe('node lifecycle controller', () => {
  it('leaves nodes that keep renewing their Lease alone', async () => {
    await runningPod('web', 'node-a');
    await advance(30_000, ['node-a', 'node-b']);
    await advance(30_000, ['node-a', 'node-b']);
    await controller.queue.idle();
    expect((await ready('node-a'))?.status).toBe('True');
    expect(await taints('node-a')).toEqual([]);
  });

  it('marks a silent node Unknown, taints it unreachable and its pods not Ready', async () => {
    await runningPod('web', 'node-a');
    await advance(41_000, ['node-b']);
    await eventually(async () => (await ready('node-a'))?.status === 'Unknown', 5_000, 'Ready=Unknown');
    expect(await ready('node-a')).toMatchObject({
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    expect((await ready('node-b'))?.status).toBe('True');
    await eventually(async () => (await taints('node-a')).length === 2, 5_000, 'taints');
    expect(await taints('node-a')).toEqual([
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
    const noExecute = (await node('node-a'))?.spec?.taints?.find((t) => t.effect === 'NoExecute');
    expect(noExecute?.timeAdded).toBe('2026-01-01T00:00:41Z');
    await eventually(
      async () =>
        (await pods().get('default', 'web'))?.status?.conditions?.find((c) => c.type === 'Ready')?.status ===
        'False',
      5_000,
      'pod not Ready',
    );
    const nodeEvents = await eventually(async () => {
      const found = await events('NodeNotReady');
      return found.length >= 2 && found;
    });
    expect(nodeEvents.map((e) => [e.involvedObject.kind, e.message]).sort()).toEqual([
      ['Node', 'Node node-a status is now: NodeNotReady'],
      ['Pod', 'Node is not ready'],
    ]);
  });

  it('evicts pods from an unreachable node when their toleration runs out, not before', async () => {
    await runningPod('short', 'node-a', 2);
    await runningPod('default-toleration', 'node-a');
    await advance(41_000, ['node-b']);
    await eventually(async () =>
      (await taints('node-a')).includes('node.kubernetes.io/unreachable:NoExecute'),
    );
    await advance(1_000, ['node-b']);
    await controller.queue.idle();
    expect((await pods().get('default', 'short'))?.metadata?.deletionTimestamp).toBeUndefined();
    await advance(1_500, ['node-b']);
    const evicted = await eventually(async () => {
      const p = await pods().get('default', 'short');
      return p?.metadata?.deletionTimestamp && p;
    });
    expect(evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'DeletionByTaintManager',
    });
    const [eviction] = await eventually(async () => {
      const found = await events('TaintManagerEviction');
      return found.length > 0 && found;
    });
    expect(eviction?.message).toBe('Marking for deletion Pod default/short');
    expect((await pods().get('default', 'default-toleration'))?.metadata?.deletionTimestamp).toBeUndefined();
  });

  it('removes the taints when the node reports again, cancelling pending evictions', async () => {
    await runningPod('web', 'node-a', 300);
    await advance(41_000, ['node-b']);
    await eventually(async () => (await taints('node-a')).length === 2);
    const reported = readyNode('node-a').status;
    await nodes().mutate(undefined, 'node-a', (live) => ({ ...live, status: reported }), {
      subresource: 'status',
    });
    await eventually(async () => (await taints('node-a')).length === 0, 5_000, 'taints removed');
    const [cancel] = await eventually(async () => {
      const found = await events('TaintManagerEviction');
      return found.length > 0 && found;
    });
    expect(cancel?.message).toBe('Cancelling deletion of Pod default/web');
  });

  it('taints a node that reports Ready=False not-ready and evicts pods that tolerate nothing at once', async () => {
    await pods().create({
      metadata: { name: 'intolerant', namespace: 'default' },
      spec: { nodeName: 'node-b', containers: [{ name: 'app', image: 'nginx' }] },
    });
    await nodes().mutate(undefined, 'node-b', (live) => {
      live.spec = { ...live.spec, taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] };
      return live;
    });
    await nodes().mutate(
      undefined,
      'node-a',
      (live) => {
        const conditions = live.status?.conditions?.map((c) =>
          c.type === 'Ready' ? { ...c, status: 'False', reason: 'KubeletNotReady' } : c,
        );
        return { ...live, status: { ...live.status, conditions } };
      },
      { subresource: 'status' },
    );
    await eventually(async () => (await taints('node-a')).length === 2);
    expect(await taints('node-a')).toEqual([
      'node.kubernetes.io/not-ready:NoSchedule',
      'node.kubernetes.io/not-ready:NoExecute',
    ]);
    await eventually(
      async () => (await pods().get('default', 'intolerant'))?.metadata?.deletionTimestamp !== undefined,
    );
  });

  it('holds back NoExecute taints when no node of the zone is Ready', async () => {
    await runningPod('web', 'node-a', 2);
    await advance(41_000, []);
    await eventually(async () => (await ready('node-b'))?.status === 'Unknown');
    await eventually(async () => (await taints('node-a')).length > 0);
    await advance(5_000, []);
    await controller.queue.idle();
    expect(await taints('node-a')).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    expect((await pods().get('default', 'web'))?.metadata?.deletionTimestamp).toBeUndefined();
  });

  it('taints cordoned nodes unschedulable', async () => {
    await nodes().mutate(undefined, 'node-b', (live) => ({
      ...live,
      spec: { ...live.spec, unschedulable: true },
    }));
    await eventually(async () =>
      (await taints('node-b')).includes('node.kubernetes.io/unschedulable:NoSchedule'),
    );
  });
});
