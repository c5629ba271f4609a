// Acceptance: the real kubectl 1.35 drives Deployments on a control plane with three simulated
// nodes — rolling update bounds sampled on every pod watch event, rollout status, history, undo,
// restart, scale, pause/resume, and deletion with and without cascading, with the control plane's
// own scheduler and garbage collector.

import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubectlCluster, startKubectlCluster } from '../../api/testing/kubectlCluster';
import { isPodActive, isPodReady } from '../replicaSet/podState';
import { resources } from '../runtime/resources';
import { eventually } from '../testing/controllerHarness';

let cluster: KubectlCluster;

const ok = (...args: string[]) => cluster.ok(...args);
const json = <T>(...args: string[]) => cluster.getJson<T>(...args);

function manifest(name: string, replicas: number, image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 2, maxUnavailable: 1}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: ${image}
`;
}

async function podsOf(app: string): Promise<V1Pod[]> {
  return (await json<{ items: V1Pod[] }>('pods', '-l', `app=${app}`)).items;
}

async function replicaSetsOf(app: string): Promise<V1ReplicaSet[]> {
  return (await json<{ items: V1ReplicaSet[] }>('rs', '-l', `app=${app}`)).items;
}

beforeAll(async () => {
  cluster = await startKubectlCluster({ name: 'deploy', simulatedNodes: 3, kubectlTimeoutMs: 120_000 });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('Deployments with kubectl', () => {
  it('rolls a 10-replica Deployment within maxSurge 2 and maxUnavailable 1, and undoes and restarts it', async () => {
    await cluster.apply('web', manifest('web', 10, 'nginx:1.27'));
    expect(await ok('rollout', 'status', 'deploy/web', '--timeout=60s')).toContain(
      'deployment "web" successfully rolled out',
    );

    const cache = cluster.plane.controllerContext.informers.for(resources.pods);
    const samples: { total: number; available: number }[] = [];
    const sample = () => {
      const pods = cache.list('default').filter((p) => p.metadata?.labels?.app === 'web' && isPodActive(p));
      samples.push({ total: pods.length, available: pods.filter(isPodReady).length });
    };
    const handlers = { onAdd: sample, onUpdate: sample, onDelete: sample };
    cache.addHandlers(handlers, { replay: false });
    await ok('set', 'image', 'deploy/web', 'web=nginx:1.28');
    await ok('rollout', 'status', 'deploy/web', '--timeout=60s');
    cache.removeHandlers(handlers);
    expect(samples.length).toBeGreaterThan(30);
    expect(Math.max(...samples.map((s) => s.total))).toBeLessThanOrEqual(12);
    expect(Math.min(...samples.map((s) => s.available))).toBeGreaterThanOrEqual(9);

    const history = await ok('rollout', 'history', 'deploy/web');
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    expect(await ok('rollout', 'history', 'deploy/web', '--revision=1')).toContain('Image:\tnginx:1.27');

    expect(await ok('rollout', 'undo', 'deploy/web')).toContain('deployment.apps/web rolled back');
    await ok('rollout', 'status', 'deploy/web', '--timeout=60s');
    const undone = await json<V1Deployment>('deploy', 'web');
    expect(undone.spec?.template.spec?.containers[0]?.image).toBe('nginx:1.27');
    expect(undone.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(await ok('rollout', 'history', 'deploy/web')).toMatch(/\n2\s+<none>\n3\s+<none>/);
    expect(await replicaSetsOf('web')).toHaveLength(2);

    const before = new Set((await podsOf('web')).map((p) => p.metadata?.uid));
    expect(await ok('rollout', 'restart', 'deploy/web')).toContain('deployment.apps/web restarted');
    await ok('rollout', 'status', 'deploy/web', '--timeout=60s');
    const after = await eventually(
      async () => {
        const pods = await podsOf('web');
        return pods.length === 10 && pods;
      },
      30_000,
      'old pods gone after restart',
    );
    expect(after.filter((p) => before.has(p.metadata?.uid))).toEqual([]);
    const restarted = await json<V1Deployment>('deploy', 'web');
    expect(
      restarted.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'],
    ).toBeDefined();

    const described = await ok('describe', 'deploy', 'web');
    expect(described).toMatch(/Progressing\s+True\s+NewReplicaSetAvailable/);
    expect(described).toMatch(/ScalingReplicaSet .*Scaled up replica set web-\w+ from 0 to 2/);
  }, 240_000);

  it('scales, and holds a paused Deployment until it is resumed', async () => {
    await cluster.apply('scaled', manifest('scaled', 2, 'nginx:1.27'));
    await ok('rollout', 'status', 'deploy/scaled', '--timeout=60s');
    expect(await ok('scale', 'deploy/scaled', '--replicas=5')).toContain('deployment.apps/scaled scaled');
    await ok('rollout', 'status', 'deploy/scaled', '--timeout=60s');
    expect((await podsOf('scaled')).filter(isPodActive)).toHaveLength(5);
    expect(await ok('get', 'deploy', 'scaled')).toMatch(/scaled\s+5\/5\s+5\s+5/);

    await ok('rollout', 'pause', 'deploy/scaled');
    await ok('set', 'image', 'deploy/scaled', 'web=nginx:1.28');
    await eventually(
      async () => {
        const d = await json<V1Deployment>('deploy', 'scaled');
        const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
        return (
          (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
          progressing?.reason === 'DeploymentPaused'
        );
      },
      30_000,
      'paused condition',
    );
    expect(await replicaSetsOf('scaled')).toHaveLength(1);
    await ok('rollout', 'resume', 'deploy/scaled');
    await ok('rollout', 'status', 'deploy/scaled', '--timeout=60s');
    const pods = (await podsOf('scaled')).filter(isPodActive);
    expect(pods.map((p) => p.spec?.containers[0]?.image)).toEqual(Array(5).fill('nginx:1.28'));
  }, 180_000);

  it('deletes ReplicaSets and pods with their Deployment, and leaves them with --cascade=orphan', async () => {
    await cluster.apply('gone', manifest('gone', 2, 'nginx:1.27'));
    await cluster.apply('kept', manifest('kept', 2, 'nginx:1.27'));
    await ok('rollout', 'status', 'deploy/gone', '--timeout=60s');
    await ok('rollout', 'status', 'deploy/kept', '--timeout=60s');

    await ok('delete', 'deploy', 'gone', '--timeout=60s');
    await eventually(
      async () => (await replicaSetsOf('gone')).length === 0 && (await podsOf('gone')).length === 0,
      30_000,
      'dependents deleted',
    );

    const keptSets = await replicaSetsOf('kept');
    await ok('delete', 'deploy', 'kept', '--cascade=orphan', '--timeout=60s');
    const orphans = await eventually(
      async () => {
        const sets = await replicaSetsOf('kept');
        return sets.length === 1 && sets.every((rs) => !rs.metadata?.ownerReferences?.length) && sets;
      },
      30_000,
      'ReplicaSet orphaned',
    );
    expect(orphans[0]?.metadata?.uid).toBe(keptSets[0]?.metadata?.uid);
    const pods = (await podsOf('kept')).filter(isPodActive);
    expect(pods).toHaveLength(2);
    expect(pods.every((p) => p.metadata?.ownerReferences?.[0]?.uid === keptSets[0]?.metadata?.uid)).toBe(
      true,
    );
  }, 180_000);
});
