import type { CoreV1Event, V1DaemonSet, V1Pod } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SimulatedNodes, startSimulatedNodes } from '../../simulatedNodes/simulatedNodes';
import { revisionTemplate } from '../history/templatePatch';
import { isPodReady } from '../replicaSet/podState';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { targetNodeName } from './daemonPods';
import { daemonSetController } from './daemonSetController';
import { startTestBinder, type TestBinder } from './testing/testBinder';

let h: ControllerHarness;
let nodes: SimulatedNodes;
let binder: TestBinder;

beforeEach(async () => {
  h = await startControllerHarness([daemonSetController]);
  nodes = await startSimulatedNodes(h.ctx, { count: 3, podStartMs: 5 });
  binder = await startTestBinder(h.ctx);
});

afterEach(async () => {
  binder.stop();
  nodes.stop();
  await h.stop();
});

const daemonSets = () => h.ctx.client.resource(resources.daemonSets);
const pods = () => h.ctx.client.resource(resources.pods);
const revisions = () => h.ctx.client.resource(resources.controllerRevisions);

function agent(
  spec: Partial<V1DaemonSet['spec']> = {},
  podSpec: Partial<NonNullable<V1DaemonSet['spec']>['template']['spec']> = {},
): V1DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [{ name: 'agent', image: 'agent:1' }], ...podSpec },
      },
      ...spec,
    },
  };
}

/** Node name → images of the live (not terminating) daemon pods there. */
async function placementNow(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const pod of (await pods().list('default')).items) {
    if (pod.metadata?.deletionTimestamp) continue;
    const node = targetNodeName(pod) ?? '';
    out[node] = [...(out[node] ?? []), pod.spec?.containers[0]?.image ?? ''].sort();
  }
  return out;
}

/** Rolled out as `kubectl rollout status ds` decides, with every desired pod there. */
async function rolledOut(desired: number): Promise<V1DaemonSet | false> {
  const ds = await daemonSets().get('default', 'agent');
  const s = ds?.status;
  return (
    ds !== undefined &&
    (ds.metadata?.generation ?? 0) <= (s?.observedGeneration ?? 0) &&
    s?.desiredNumberScheduled === desired &&
    s.updatedNumberScheduled === desired &&
    s.numberAvailable === desired &&
    s.numberReady === desired &&
    ds
  );
}

async function changeDaemonSet(change: (ds: V1DaemonSet) => void): Promise<void> {
  await daemonSets().mutate('default', 'agent', (live) => {
    change(live);
    return live;
  });
}

const setImage = (image: string) => (ds: V1DaemonSet) => {
  const container = ds.spec?.template.spec?.containers[0];
  if (container) container.image = image;
};

/** Watches pods and records, after every event, how many nodes lack a Ready pod that is staying. */
async function watchUnservedNodes(nodeNames: string[]) {
  const live = new Map<string, V1Pod>();
  const list = await pods().list('default');
  for (const p of list.items) live.set(p.metadata?.uid ?? '', p);
  let most = 0;
  const watch = pods().watch(
    'default',
    list.revision,
    (event) => {
      if (event.type === 'DELETED') live.delete(event.object.metadata?.uid ?? '');
      else live.set(event.object.metadata?.uid ?? '', event.object);
      const unserved = nodeNames.filter(
        (node) =>
          ![...live.values()].some(
            (p) => p.spec?.nodeName === node && isPodReady(p) && !p.metadata?.deletionTimestamp,
          ),
      );
      most = Math.max(most, unserved.length);
    },
    () => {},
  );
  return {
    most: () => most,
    close: () => watch.close(),
  };
}

describe('the DaemonSet controller', () => {
  it('runs one pinned pod per node and follows nodes being added and removed', async () => {
    await daemonSets().create(agent());
    const ds = await eventually(() => rolledOut(3), 10_000, 'three daemon pods');
    expect(await placementNow()).toEqual({
      'sim-node-1': ['agent:1'],
      'sim-node-2': ['agent:1'],
      'sim-node-3': ['agent:1'],
    });
    const one = (await pods().list('default')).items[0] as V1Pod;
    expect(one.metadata?.generateName).toBe('agent-');
    expect(one.metadata?.labels?.['controller-revision-hash']).toBeTruthy();
    expect(
      one.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    ).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [one.spec?.nodeName] }] }]);
    expect(one.spec?.tolerations).toContainEqual({
      key: 'node.kubernetes.io/unschedulable',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
    expect(ds.status).toMatchObject({ currentNumberScheduled: 3, numberMisscheduled: 0, collisionCount: 0 });

    await nodes.add({ name: 'sim-node-4' });
    await eventually(() => rolledOut(4), 10_000, 'a pod on the new node');
    expect(Object.keys(await placementNow()).sort()).toEqual([
      'sim-node-1',
      'sim-node-2',
      'sim-node-3',
      'sim-node-4',
    ]);

    await nodes.remove('sim-node-2');
    await eventually(
      async () => (await rolledOut(3)) && !(await placementNow())['sim-node-2'],
      10_000,
      'the removed node’s pod gone',
    );
    expect(Object.keys(await placementNow()).sort()).toEqual(['sim-node-1', 'sim-node-3', 'sim-node-4']);

    const events = (await h.ctx.client.resource(resources.events).list('default')).items as CoreV1Event[];
    expect(
      events.some((e) => e.reason === 'SuccessfulCreate' && /^Created pod: agent-/.test(e.message ?? '')),
    ).toBe(true);
    expect(
      events.some((e) => e.reason === 'SuccessfulDelete' && /^Deleted pod: agent-/.test(e.message ?? '')),
    ).toBe(true);
  });

  it('keeps to nodes its nodeSelector and tolerations allow, cordoned ones included', async () => {
    await nodes.add({ name: 'tainted', taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });
    await h.ctx.client.resource(resources.nodes).mutate(undefined, 'sim-node-3', (node) => {
      node.metadata = { ...node.metadata, labels: { ...node.metadata?.labels, role: 'edge' } };
      return node;
    });
    await h.ctx.client.resource(resources.nodes).mutate(undefined, 'sim-node-1', (node) => {
      node.spec = {
        ...node.spec,
        unschedulable: true,
        taints: [
          ...(node.spec?.taints ?? []),
          { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
        ],
      };
      return node;
    });
    await daemonSets().create(agent({}, { nodeSelector: { role: 'edge' } }));
    await eventually(() => rolledOut(1), 10_000, 'one selected node');
    expect(Object.keys(await placementNow())).toEqual(['sim-node-3']);

    await changeDaemonSet((ds) => {
      if (ds.spec?.template.spec) delete ds.spec.template.spec.nodeSelector;
    });
    await eventually(() => rolledOut(3), 10_000, 'every untainted node');
    expect(Object.keys(await placementNow()).sort()).toEqual(['sim-node-1', 'sim-node-2', 'sim-node-3']);
  });

  it('rolls a new template out node by node, keeps revisions and rolls back', async () => {
    await daemonSets().create(agent());
    const first = await eventually(() => rolledOut(3), 10_000, 'first rollout');
    const [firstRevision] = (await revisions().list('default')).items;
    expect(firstRevision?.revision).toBe(1);
    expect(firstRevision?.metadata?.name).toBe(
      `agent-${firstRevision?.metadata?.labels?.['controller-revision-hash']}`,
    );

    // Never more than maxUnavailable (1) of the three nodes without a Ready pod.
    const watch = await watchUnservedNodes(['sim-node-1', 'sim-node-2', 'sim-node-3']);
    await changeDaemonSet(setImage('agent:2'));
    await eventually(
      async () => (await rolledOut(3)) && (await placementNow())['sim-node-1']?.[0] === 'agent:2',
      10_000,
      'second rollout',
    );
    watch.close();
    expect(watch.most()).toBe(1);
    expect(Object.values(await placementNow())).toEqual([['agent:2'], ['agent:2'], ['agent:2']]);
    expect((await revisions().list('default')).items).toHaveLength(2);

    await changeDaemonSet((ds) => {
      if (ds.spec) ds.spec.template = revisionTemplate(firstRevision?.data);
    });
    await eventually(
      async () =>
        (await rolledOut(3)) && Object.values(await placementNow()).every((i) => i[0] === 'agent:1'),
      10_000,
      'rollback',
    );
    const history = (await revisions().list('default')).items;
    expect(history).toHaveLength(2);
    expect(history.find((r) => r.metadata?.name === firstRevision?.metadata?.name)?.revision).toBe(3);
    expect(first.metadata?.uid).toBe((await daemonSets().get('default', 'agent'))?.metadata?.uid);
  });

  it('surges a new pod before removing the old one with maxSurge', async () => {
    await daemonSets().create(
      agent({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }),
    );
    await eventually(() => rolledOut(3), 10_000, 'first rollout');
    // maxUnavailable 0: every node keeps a Ready pod throughout.
    const watch = await watchUnservedNodes(['sim-node-1', 'sim-node-2', 'sim-node-3']);
    await changeDaemonSet(setImage('agent:2'));
    await eventually(
      async () =>
        (await rolledOut(3)) && Object.values(await placementNow()).every((i) => i.join() === 'agent:2'),
      10_000,
      'surged rollout',
    );
    watch.close();
    expect(watch.most()).toBe(0);
  });

  it('replaces pods only when they are deleted with OnDelete', async () => {
    await daemonSets().create(agent({ updateStrategy: { type: 'OnDelete' } }));
    await eventually(() => rolledOut(3), 10_000, 'first rollout');
    await changeDaemonSet(setImage('agent:2'));
    await eventually(
      async () => {
        const ds = await daemonSets().get('default', 'agent');
        return (
          ds?.status?.observedGeneration === ds?.metadata?.generation &&
          ds?.status?.updatedNumberScheduled === 0
        );
      },
      5_000,
      'update observed',
    );
    const victim = (await pods().list('default')).items.find(
      (p) => p.spec?.nodeName === 'sim-node-2',
    ) as V1Pod;
    await pods().delete('default', victim.metadata?.name ?? '');
    await eventually(
      async () => {
        const placed = await placementNow();
        const replacement = (await pods().list('default')).items.find(
          (p) => p.spec?.nodeName === 'sim-node-2' && !p.metadata?.deletionTimestamp,
        );
        return placed['sim-node-2']?.join() === 'agent:2' && replacement && isPodReady(replacement);
      },
      10_000,
      'replacement on sim-node-2',
    );
    expect((await placementNow())['sim-node-1']).toEqual(['agent:1']);
  });
});
