// The Deployment and ReplicaSet controllers together against the memory store, with simulated
// nodes running the pods (bound round-robin here, so these tests do not depend on the scheduler).

import type { CoreV1Event, V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SimulatedNodes, startSimulatedNodes } from '../../simulatedNodes/simulatedNodes';
import { isPodActive, isPodReady } from '../replicaSet/podState';
import { createReplicaSetController } from '../replicaSet/replicaSetController';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { createDeploymentController } from './deploymentController';
import { podTemplateHashLabel } from './podTemplateHash';
import { type RoundRobinBinder, startRoundRobinBinder } from './testing/roundRobinBinder';

let h: ControllerHarness;
let nodes: SimulatedNodes;
let binder: RoundRobinBinder;

const deployments = () => h.ctx.client.resource(resources.deployments);
const replicaSets = () => h.ctx.client.resource(resources.replicaSets);
const podClient = () => h.ctx.client.resource(resources.pods);

function deployment(name: string, replicas: number, spec: Partial<V1Deployment['spec']> = {}): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
      ...spec,
    },
  };
}

async function get(name: string): Promise<V1Deployment> {
  return (await deployments().get('default', name)) as V1Deployment;
}

async function ownedReplicaSets(name: string): Promise<V1ReplicaSet[]> {
  const d = await get(name);
  return (await replicaSets().list('default')).items.filter((rs) =>
    rs.metadata?.ownerReferences?.some((r) => r.uid === d.metadata?.uid),
  );
}

async function livePods(app: string): Promise<V1Pod[]> {
  return (await podClient().list('default')).items.filter((p) => p.metadata?.labels?.app === app);
}

async function setImage(name: string, image: string): Promise<void> {
  await deployments().mutate('default', name, (d) => {
    const container = d.spec?.template.spec?.containers[0];
    if (container) container.image = image;
    return d;
  });
}

/** Rolled out: what `kubectl rollout status` waits for. */
async function rolledOut(name: string): Promise<V1Deployment | false> {
  const d = await get(name);
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  const done =
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want;
  return done ? d : false;
}

async function events(reason: string): Promise<CoreV1Event[]> {
  return (await h.ctx.client.resource(resources.events).list('default')).items.filter(
    (e) => e.reason === reason,
  );
}

beforeEach(async () => {
  h = await startControllerHarness([createReplicaSetController(), createDeploymentController()]);
  nodes = await startSimulatedNodes(h.ctx, { count: 3, podStartMs: 5 });
  binder = startRoundRobinBinder(h.ctx, () => nodes.names());
});

afterEach(async () => {
  binder.stop();
  nodes.stop();
  await h.stop();
});

describe('deployment controller', () => {
  it('creates a ReplicaSet named after the template hash and reports the rollout complete', async () => {
    await deployments().create(deployment('web', 3));
    const d = await eventually(() => rolledOut('web'), 10_000, 'rollout');
    const [rs] = await ownedReplicaSets('web');
    const hash = rs?.metadata?.labels?.[podTemplateHashLabel] ?? '';
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs?.metadata?.name).toBe(`web-${hash}`);
    expect(rs?.spec?.selector.matchLabels).toEqual({ app: 'web', [podTemplateHashLabel]: hash });
    expect(rs?.spec?.template?.metadata?.labels).toEqual({ app: 'web', [podTemplateHashLabel]: hash });
    expect(rs?.metadata?.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const conditions = Object.fromEntries(
      (d.status?.conditions ?? []).map((c) => [c.type, [c.status, c.reason]]),
    );
    expect(conditions).toEqual({
      Available: ['True', 'MinimumReplicasAvailable'],
      Progressing: ['True', 'NewReplicaSetAvailable'],
    });
    expect(d.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    const scaling = await eventually(
      async () => (await events('ScalingReplicaSet')).length > 0 && events('ScalingReplicaSet'),
    );
    expect(scaling.map((e) => e.message)).toContain(`Scaled up replica set web-${hash} from 0 to 3`);
    const pods = await livePods('web');
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata?.name?.startsWith(`web-${hash}-`)).toBe(true);
      expect(pod.metadata?.ownerReferences).toEqual([
        expect.objectContaining({
          kind: 'ReplicaSet',
          name: `web-${hash}`,
          controller: true,
          blockOwnerDeletion: true,
        }),
      ]);
    }
  });

  it('rolls out a new template within maxSurge and maxUnavailable on every pod event', async () => {
    await deployments().create(
      deployment('roll', 10, {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } },
      }),
    );
    await eventually(() => rolledOut('roll'), 10_000, 'first rollout');
    const samples: { total: number; available: number }[] = [];
    const cache = h.ctx.informers.for(resources.pods);
    const sample = () => {
      const pods = cache.list('default').filter((p) => p.metadata?.labels?.app === 'roll' && isPodActive(p));
      samples.push({ total: pods.length, available: pods.filter(isPodReady).length });
    };
    const handlers = { onAdd: sample, onUpdate: sample, onDelete: sample };
    cache.addHandlers(handlers, { replay: false });
    await setImage('roll', 'nginx:1.28');
    const d = await eventually(() => rolledOut('roll'), 20_000, 'second rollout');
    cache.removeHandlers(handlers);
    expect(samples.length).toBeGreaterThan(20);
    expect(Math.max(...samples.map((s) => s.total))).toBeLessThanOrEqual(12);
    expect(Math.min(...samples.map((s) => s.available))).toBeGreaterThanOrEqual(9);
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const sets = await ownedReplicaSets('roll');
    expect(
      sets
        .map((rs) => [rs.metadata?.annotations?.['deployment.kubernetes.io/revision'], rs.spec?.replicas])
        .sort(),
    ).toEqual([
      ['1', 0],
      ['2', 10],
    ]);
    const pods = (await livePods('roll')).filter(isPodActive);
    expect(pods.map((p) => p.spec?.containers[0]?.image)).toEqual(Array(10).fill('nginx:1.28'));
  });

  it('Recreate removes every old pod before the new ReplicaSet starts any', async () => {
    await deployments().create(deployment('again', 3, { strategy: { type: 'Recreate' } }));
    await eventually(() => rolledOut('again'), 10_000, 'first rollout');
    let mixed = false;
    const cache = h.ctx.informers.for(resources.pods);
    const check = () => {
      const images = new Set(
        cache
          .list('default')
          .filter((p) => p.metadata?.labels?.app === 'again')
          .map((p) => p.spec?.containers[0]?.image),
      );
      if (images.size > 1) mixed = true;
    };
    const handlers = { onAdd: check, onUpdate: check };
    cache.addHandlers(handlers, { replay: false });
    await setImage('again', 'nginx:1.28');
    await eventually(() => rolledOut('again'), 10_000, 'recreate rollout');
    cache.removeHandlers(handlers);
    expect(mixed).toBe(false);
    const scaling = (await events('ScalingReplicaSet')).map((e) => e.message);
    expect(scaling.some((m) => /^Scaled down replica set again-\w+ from 3 to 0$/.test(m ?? ''))).toBe(true);
  });

  it('returns to an earlier template by reusing its ReplicaSet under a new revision', async () => {
    await deployments().create(deployment('back', 2));
    await eventually(() => rolledOut('back'), 10_000, 'first rollout');
    const [first] = await ownedReplicaSets('back');
    await setImage('back', 'nginx:1.28');
    await eventually(
      async () =>
        (await rolledOut('back')) &&
        (await get('back')).metadata?.annotations?.['deployment.kubernetes.io/revision'] === '2',
      10_000,
      'second',
    );
    await setImage('back', 'nginx:1.27');
    await eventually(
      async () =>
        (await rolledOut('back')) &&
        (await get('back')).metadata?.annotations?.['deployment.kubernetes.io/revision'] === '3',
      10_000,
      'rollback',
    );
    const sets = await ownedReplicaSets('back');
    expect(sets).toHaveLength(2);
    const reused = sets.find((rs) => rs.metadata?.uid === first?.metadata?.uid);
    expect(reused?.spec?.replicas).toBe(2);
    expect(reused?.metadata?.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
    });
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    await deployments().create(deployment('hist', 1, { revisionHistoryLimit: 1 }));
    for (const tag of ['1.28', '1.29', '1.30']) {
      await eventually(() => rolledOut('hist'), 10_000, 'rollout');
      await setImage('hist', `nginx:${tag}`);
    }
    await eventually(
      async () => (await rolledOut('hist')) && (await ownedReplicaSets('hist')).length === 2,
      10_000,
      'cleanup',
    );
    const revisions = (await ownedReplicaSets('hist')).map(
      (rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'],
    );
    expect(revisions.sort()).toEqual(['3', '4']);
  });

  it('holds a paused Deployment at its template until resumed, and notes both in Progressing', async () => {
    await deployments().create(deployment('hold', 2));
    await eventually(() => rolledOut('hold'), 10_000, 'rollout');
    await deployments().mutate('default', 'hold', (d) => {
      if (d.spec) d.spec.paused = true;
      return d;
    });
    await setImage('hold', 'nginx:1.28');
    const paused = await eventually(
      async () => {
        const d = await get('hold');
        const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
        return (
          progressing?.reason === 'DeploymentPaused' &&
          (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
          d
        );
      },
      10_000,
      'paused condition',
    );
    expect(paused.status?.conditions?.find((c) => c.type === 'Progressing')?.status).toBe('Unknown');
    expect(await ownedReplicaSets('hold')).toHaveLength(1);
    await deployments().mutate('default', 'hold', (d) => {
      if (d.spec) d.spec.paused = false;
      return d;
    });
    const done = await eventually(
      async () => {
        const d = await rolledOut('hold');
        return (
          d &&
          d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable' &&
          d
        );
      },
      10_000,
      'resumed rollout',
    );
    expect(done.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('reports ProgressDeadlineExceeded when new pods never become ready', async () => {
    await deployments().create(deployment('stuck', 1));
    await eventually(() => rolledOut('stuck'), 10_000, 'rollout');
    await deployments().mutate('default', 'stuck', (d) => {
      if (d.spec) {
        d.spec.progressDeadlineSeconds = 1;
        d.spec.template.metadata = {
          ...d.spec.template.metadata,
          annotations: { 'sim.kubedesk.io/ready': 'false' },
        };
      }
      return d;
    });
    const d = await eventually(
      async () => {
        const live = await get('stuck');
        const c = live.status?.conditions?.find((x) => x.type === 'Progressing');
        return c?.reason === 'ProgressDeadlineExceeded' && live;
      },
      15_000,
      'deadline',
    );
    const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
    expect(progressing?.status).toBe('False');
    expect(progressing?.message).toMatch(/^ReplicaSet "stuck-\w+" has timed out progressing\.$/);
    expect(d.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
  });

  it('scales every active ReplicaSet in proportion when resized mid-rollout', async () => {
    await deployments().create(
      deployment('grow', 10, {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } },
        template: {
          metadata: { labels: { app: 'grow' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
        },
      }),
    );
    await eventually(() => rolledOut('grow'), 10_000, 'rollout');
    // New pods never become ready, so the rollout stops with 10 old and 3 new replicas.
    await deployments().mutate('default', 'grow', (d) => {
      if (d.spec)
        d.spec.template.metadata = {
          labels: { app: 'grow' },
          annotations: { 'sim.kubedesk.io/ready': 'false' },
        };
      return d;
    });
    await eventually(
      async () => {
        const sizes = (await ownedReplicaSets('grow')).map((rs) => rs.spec?.replicas).sort();
        return sizes.length === 2 && sizes[0] === 10 && sizes[1] === 3;
      },
      10_000,
      'stalled rollout at 10 + 3',
    );
    await deployments().mutate('default', 'grow', (d) => {
      if (d.spec) d.spec.replicas = 20;
      return d;
    });
    // 20 + 3 allowed: 10 more split 10:3 → old +8 (rounded), new +2.
    const sizes = await eventually(
      async () => {
        const sets = await ownedReplicaSets('grow');
        const total = sets.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
        return (
          total === 23 &&
          sets
            .map((rs) => [rs.metadata?.annotations?.['deployment.kubernetes.io/revision'], rs.spec?.replicas])
            .sort()
        );
      },
      10_000,
      'proportional scale',
    );
    expect(sizes).toEqual([
      ['1', 18],
      ['2', 5],
    ]);
  });
});
