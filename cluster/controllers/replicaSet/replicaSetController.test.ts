// The ReplicaSet controller against the memory store. No nodes run here: tests write pod status
// themselves where a pod must be Running or Ready.

import type { CoreV1Event, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../runtime/clock';
import type { ControllerFactory } from '../runtime/controllerContext';
import type { QueueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { createReplicaSetController } from './replicaSetController';

let h: ControllerHarness;

const rsClient = () => h.ctx.client.resource(resources.replicaSets);
const podClient = () => h.ctx.client.resource(resources.pods);

function replicaSet(name: string, replicas: number, extra: Partial<V1ReplicaSet['spec']> = {}): V1ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, tier: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
      ...extra,
    },
  };
}

async function start(factory: ControllerFactory = createReplicaSetController(), clock?: ManualClock) {
  h = await startControllerHarness([factory], clock ? { clock } : {});
}

async function podsOf(app: string): Promise<V1Pod[]> {
  return (await podClient().list('default')).items.filter((p) => p.metadata?.labels?.app === app);
}

async function status(name: string) {
  return (await rsClient().get('default', name))?.status;
}

async function events(reason: string): Promise<CoreV1Event[]> {
  return (await h.ctx.client.resource(resources.events).list('default')).items.filter(
    (e) => e.reason === reason,
  );
}

/** Writes the status a kubelet would for a running pod, Ready since `readySince`. */
async function run(pod: V1Pod, ready: boolean, readySince = new Date()): Promise<void> {
  const at = readySince.toISOString().replace(/\.\d+Z$/, 'Z') as unknown as Date;
  await podClient().mutate(
    'default',
    pod.metadata?.name ?? '',
    (live) => ({
      ...live,
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: at }],
      },
    }),
    { subresource: 'status' },
  );
}

afterEach(async () => {
  await h?.stop();
});

describe('replicaset controller', () => {
  it('creates pods from the template, owned by the ReplicaSet, and counts them in status', async () => {
    await start();
    await rsClient().create(replicaSet('web', 3));
    const pods = await eventually(async () => {
      const list = await podsOf('web');
      return list.length === 3 && list;
    });
    for (const pod of pods) {
      expect(pod.metadata?.generateName).toBe('web-');
      expect(pod.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(pod.metadata?.labels).toEqual({ app: 'web', tier: 'web' });
      expect(pod.metadata?.ownerReferences).toEqual([
        expect.objectContaining({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', controller: true }),
      ]);
    }
    const s = await eventually(async () => {
      const current = await status('web');
      return current?.replicas === 3 && current;
    });
    expect(s).toMatchObject({
      replicas: 3,
      fullyLabeledReplicas: 3,
      observedGeneration: 1,
      terminatingReplicas: 0,
    });
    expect(s.readyReplicas).toBeUndefined();
    const created = await eventually(async () => {
      const list = await events('SuccessfulCreate');
      return list.length === 3 && list;
    });
    expect(created.map((e) => e.message).sort()).toEqual(
      pods.map((p) => `Created pod: ${p.metadata?.name}`).sort(),
    );
    expect(created[0]?.source?.component).toBe('replicaset-controller');
  });

  it('deletes pending and not-ready pods before ready ones when scaled down', async () => {
    await start();
    await rsClient().create(replicaSet('down', 4));
    const pods = await eventually(async () => {
      const list = await podsOf('down');
      return list.length === 4 && list;
    });
    const [a, b, c] = pods as [V1Pod, V1Pod, V1Pod, V1Pod];
    await run(a, true);
    await run(b, true);
    await run(c, false);
    await eventually(async () => (await status('down'))?.readyReplicas === 2);
    await rsClient().mutate('default', 'down', (rs) => {
      if (rs.spec) rs.spec.replicas = 2;
      return rs;
    });
    const left = await eventually(async () => {
      const list = await podsOf('down');
      return list.length === 2 && list;
    });
    expect(left.map((p) => p.metadata?.name).sort()).toEqual([a.metadata?.name, b.metadata?.name].sort());
    const deleted = await eventually(async () => {
      const list = await events('SuccessfulDelete');
      return list.length === 2 && list;
    });
    expect(deleted.map((e) => e.message).every((m) => m?.startsWith('Deleted pod: down-'))).toBe(true);
  });

  it('adopts a matching orphan and releases a pod whose labels stop matching', async () => {
    await start();
    await podClient().create({
      metadata: { name: 'orphan', namespace: 'default', labels: { app: 'adopt' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    });
    const rs = await rsClient().create(replicaSet('adopt', 2));
    await eventually(
      async () => (await podsOf('adopt')).length === 2,
      10_000,
      'one pod created beside the orphan',
    );
    const orphan = await podClient().get('default', 'orphan');
    expect(orphan?.metadata?.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ReplicaSet', uid: rs.metadata?.uid, controller: true }),
    ]);
    await podClient().mutate('default', 'orphan', (p) => {
      if (p.metadata) p.metadata.labels = { app: 'elsewhere' };
      return p;
    });
    const released = await eventually(async () => {
      const p = await podClient().get('default', 'orphan');
      return p?.metadata?.ownerReferences === undefined && p;
    });
    expect(released.metadata?.labels).toEqual({ app: 'elsewhere' });
    await eventually(
      async () => (await podsOf('adopt')).length === 2,
      10_000,
      'replacement for the released pod',
    );
  });

  it('replaces terminating pods and reports them as terminatingReplicas', async () => {
    await start();
    await rsClient().create(replicaSet('term', 2));
    const [first] = await eventually(async () => {
      const list = await podsOf('term');
      return list.length === 2 && list;
    });
    // A finalizer keeps the deleted pod around with a deletionTimestamp, as a kubelet stopping it would.
    await podClient().mutate('default', first?.metadata?.name ?? '', (p) => {
      if (p.metadata) p.metadata.finalizers = ['test.kubedesk.io/hold'];
      return p;
    });
    await podClient().delete('default', first?.metadata?.name ?? '');
    const s = await eventually(async () => {
      const current = await status('term');
      return (await podsOf('term')).length === 3 && current?.terminatingReplicas === 1 && current;
    });
    expect(s.replicas).toBe(2);
  });

  it('never creates more pods than asked however often it is resynced mid-creation', async () => {
    let controller: QueueController | undefined;
    const factory: ControllerFactory = (ctx) => {
      controller = createReplicaSetController()(ctx) as QueueController;
      return controller;
    };
    await start(factory);
    const cache = h.ctx.informers.for(resources.pods);
    let most = 0;
    const count = () => {
      for (let i = 0; i < 3; i++) controller?.queue.add('default/many');
      most = Math.max(most, cache.list('default').filter((p) => p.metadata?.labels?.app === 'many').length);
    };
    cache.addHandlers({ onAdd: count }, { replay: false });
    await rsClient().create(replicaSet('many', 60));
    await eventually(async () => (await status('many'))?.replicas === 60, 10_000, '60 replicas');
    expect(most).toBe(60);
    expect(await podsOf('many')).toHaveLength(60);
  });

  it('reports ReplicaFailure and FailedCreate when the API server refuses the pods', async () => {
    // Events cannot be stored in a namespace being deleted either, so the recorder is watched directly.
    const recorded: { type: string; reason: string; message: string }[] = [];
    await start((ctx) =>
      createReplicaSetController()({
        ...ctx,
        recorder: () => ({
          event: (_obj, type, reason, message) => recorded.push({ type, reason, message }),
        }),
      }),
    );
    await h.ctx.client.resource(resources.namespaces).create({ metadata: { name: 'closing' } });
    await rsClient().create({
      ...replicaSet('refused', 0),
      metadata: { name: 'refused', namespace: 'closing' },
    });
    // Without a namespace controller here the namespace stays Terminating, refusing new pods.
    await h.ctx.client.resource(resources.namespaces).delete(undefined, 'closing');
    await rsClient().mutate('closing', 'refused', (rs) => {
      if (rs.spec) rs.spec.replicas = 2;
      return rs;
    });
    const s = await eventually(async () => {
      const current = (await rsClient().get('closing', 'refused'))?.status;
      return (current?.conditions?.length ?? 0) > 0 && current;
    });
    expect(s.conditions?.[0]).toMatchObject({
      type: 'ReplicaFailure',
      status: 'True',
      reason: 'FailedCreate',
    });
    expect(s.conditions?.[0]?.message).toContain('because it is being terminated');
    const failed = recorded.find((e) => e.reason === 'FailedCreate');
    expect(failed?.type).toBe('Warning');
    expect(failed?.message).toMatch(/^Error creating: .*because it is being terminated$/);
  });

  it('counts a pod available only once it has been ready for minReadySeconds', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    let controller: QueueController | undefined;
    await start((ctx) => {
      controller = createReplicaSetController()(ctx) as QueueController;
      return controller;
    }, clock);
    await rsClient().create(replicaSet('slow', 1, { minReadySeconds: 30 }));
    const [pod] = await eventually(async () => {
      const list = await podsOf('slow');
      return list.length === 1 && list;
    });
    await run(pod as V1Pod, true, clock.now());
    await eventually(async () => (await status('slow'))?.readyReplicas === 1);
    expect((await status('slow'))?.availableReplicas).toBeUndefined();
    clock.advance(31_000);
    controller?.queue.add('default/slow');
    await eventually(
      async () => (await status('slow'))?.availableReplicas === 1,
      10_000,
      'available after 30 s',
    );
  });
});
