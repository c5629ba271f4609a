import type { CoreV1Event, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SimulatedNodes, startSimulatedNodes } from '../../simulatedNodes/simulatedNodes';
import { startTestBinder, type TestBinder } from '../daemonSet/testing/testBinder';
import { revisionTemplate } from '../history/templatePatch';
import { isPodReady } from '../replicaSet/podState';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { statefulSetController } from './statefulSetController';
import { recordPodTimeline } from './testing/podTimeline';

let h: ControllerHarness;
let nodes: SimulatedNodes;
let binder: TestBinder;

beforeEach(async () => {
  h = await startControllerHarness([statefulSetController]);
  nodes = await startSimulatedNodes(h.ctx, { count: 2, podStartMs: 5 });
  binder = await startTestBinder(h.ctx);
});

afterEach(async () => {
  binder.stop();
  nodes.stop();
  await h.stop();
});

const sets = () => h.ctx.client.resource(resources.statefulSets);
const pods = () => h.ctx.client.resource(resources.pods);
const claims = () => h.ctx.client.resource(resources.persistentVolumeClaims);
const revisions = () => h.ctx.client.resource(resources.controllerRevisions);

function web(
  spec: Partial<V1StatefulSet['spec']> = {},
  annotations: Record<string, string> = {},
): V1StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' }, annotations },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'www' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
      ...spec,
    },
  };
}

async function podNames(): Promise<string[]> {
  return (await pods().list('default')).items.map((p) => p.metadata?.name ?? '').sort();
}

async function claimNames(): Promise<string[]> {
  return (await claims().list('default')).items.map((c) => c.metadata?.name ?? '').sort();
}

async function statusOf(): Promise<V1StatefulSet['status']> {
  return (await sets().get('default', 'web'))?.status;
}

/** The set has rolled out: every replica Ready at the update revision, for its latest generation. */
async function rolledOut(replicas: number): Promise<V1StatefulSet | false> {
  const set = await sets().get('default', 'web');
  const s = set?.status;
  return (
    set !== undefined &&
    s?.observedGeneration === set.metadata?.generation &&
    s?.readyReplicas === replicas &&
    s?.updatedReplicas === replicas &&
    s?.replicas === replicas &&
    s?.currentRevision === s?.updateRevision &&
    set
  );
}

async function changeSet(change: (set: V1StatefulSet) => void): Promise<void> {
  await sets().mutate('default', 'web', (live) => {
    change(live);
    return live;
  });
}

async function eventMessages(): Promise<string[]> {
  const events = (await h.ctx.client.resource(resources.events).list('default')).items as CoreV1Event[];
  return events.map((e) => `${e.reason}: ${e.message}`);
}

describe('the StatefulSet controller', () => {
  it('starts web-0, web-1, web-2 strictly in order with their claims, and removes them in reverse keeping the claims', async () => {
    const timeline = recordPodTimeline(pods(), 0);
    await sets().create(web());
    await eventually(() => rolledOut(3), 10_000, 'three Ready replicas');
    expect(await podNames()).toEqual(['web-0', 'web-1', 'web-2']);
    expect(await claimNames()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    const web1 = (await pods().get('default', 'web-1')) as V1Pod;
    expect(web1.spec?.hostname).toBe('web-1');
    expect(web1.spec?.subdomain).toBe('nginx');
    expect(web1.spec?.volumes?.[0]).toEqual({
      name: 'www',
      persistentVolumeClaim: { claimName: 'www-web-1' },
    });
    expect(web1.metadata?.labels?.['statefulset.kubernetes.io/pod-name']).toBe('web-1');
    expect(web1.metadata?.labels?.['apps.kubernetes.io/pod-index']).toBe('1');
    const status = await statusOf();
    expect(web1.metadata?.labels?.['controller-revision-hash']).toBe(status?.updateRevision);
    expect(status).toMatchObject({ availableReplicas: 3, currentReplicas: 3, collisionCount: 0 });
    await eventually(
      async () => {
        const messages = await eventMessages();
        return (
          messages.includes('SuccessfulCreate: create Pod web-0 in StatefulSet web successful') &&
          messages.includes('SuccessfulCreate: create Claim www-web-2 Pod web-2 in StatefulSet web success')
        );
      },
      5_000,
      'creation events',
    );

    await changeSet((set) => {
      if (set.spec) set.spec.replicas = 0;
    });
    await eventually(async () => (await podNames()).length === 0, 10_000, 'all pods gone');
    timeline.close();
    expect(timeline.violations).toEqual([]);
    expect(timeline.created).toEqual(['web-0', 'web-1', 'web-2']);
    expect(timeline.removed).toEqual(['web-2', 'web-1', 'web-0']);
    expect(await claimNames()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    expect(await eventMessages()).toContain(
      'SuccessfulDelete: delete Pod web-2 in StatefulSet web successful',
    );
    await eventually(async () => (await statusOf())?.replicas === 0, 5_000, 'status of zero replicas');
  });

  it('creates every pod at once with Parallel, Ready or not', async () => {
    await sets().create(web({ podManagementPolicy: 'Parallel' }, { 'sim.kubedesk.io/ready': 'false' }));
    await eventually(async () => (await podNames()).length === 3, 10_000, 'three pods');
    await eventually(async () => (await statusOf())?.replicas === 3, 5_000, 'status replicas');
    expect((await statusOf())?.readyReplicas ?? 0).toBe(0);
  });

  it('stays at one unready pod with OrderedReady', async () => {
    await sets().create(web({}, { 'sim.kubedesk.io/ready': 'false' }));
    await eventually(
      async () => (await pods().get('default', 'web-0'))?.status?.phase === 'Running',
      5_000,
      'web-0 running',
    );
    await eventually(async () => (await statusOf())?.replicas === 1, 5_000, 'status replicas');
    expect(await podNames()).toEqual(['web-0']);
  });

  it('rolls out down to the partition, records revisions, rolls back to an earlier one and trims history', async () => {
    await sets().create(web({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }));
    const first = await eventually(() => rolledOut(3), 10_000, 'first rollout');
    const firstRevision = first.status?.updateRevision ?? '';
    const stored = await revisions().get('default', firstRevision);
    expect(stored?.revision).toBe(1);
    expect(stored?.metadata?.labels?.app).toBe('nginx');
    expect(stored?.data).toMatchObject({ spec: { template: { $patch: 'replace' } } });
    expect(revisionTemplate(stored?.data).spec?.containers[0]?.image).toBe('nginx:1.27');

    await changeSet((set) => {
      const container = set.spec?.template.spec?.containers[0];
      if (container) container.image = 'nginx:1.28';
    });
    const partial = await eventually(
      async () => {
        const s = await statusOf();
        const web2 = await pods().get('default', 'web-2');
        return (
          s?.updateRevision !== firstRevision &&
          s?.updatedReplicas === 1 &&
          s.readyReplicas === 3 &&
          web2 &&
          isPodReady(web2) &&
          s
        );
      },
      10_000,
      'partitioned rollout',
    );
    expect(partial.currentRevision).toBe(firstRevision);
    expect((await pods().get('default', 'web-2'))?.spec?.containers[0]?.image).toBe('nginx:1.28');
    expect((await pods().get('default', 'web-1'))?.spec?.containers[0]?.image).toBe('nginx:1.27');

    await changeSet((set) => {
      if (set.spec?.updateStrategy?.rollingUpdate) set.spec.updateStrategy.rollingUpdate.partition = 0;
    });
    const second = await eventually(() => rolledOut(3), 10_000, 'second rollout');
    const secondRevision = second.status?.updateRevision ?? '';
    expect(secondRevision).not.toBe(firstRevision);

    // What `kubectl rollout undo` does: patch the template back to revision 1's.
    await changeSet((set) => {
      if (set.spec) set.spec.template = revisionTemplate(stored?.data);
    });
    const undone = await eventually(
      async () => {
        const set = await rolledOut(3);
        return set && set.status?.updateRevision === firstRevision && set;
      },
      10_000,
      'rollback',
    );
    expect(undone.status?.currentRevision).toBe(firstRevision);
    const history = (await revisions().list('default')).items;
    expect(history.map((r) => [r.metadata?.name, r.revision]).sort()).toEqual(
      [
        [firstRevision, 3],
        [secondRevision, 2],
      ].sort(),
    );
    expect((await pods().get('default', 'web-0'))?.spec?.containers[0]?.image).toBe('nginx:1.27');

    await changeSet((set) => {
      if (set.spec) set.spec.revisionHistoryLimit = 0;
    });
    await eventually(
      async () => (await revisions().list('default')).items.length === 1,
      5_000,
      'trimmed history',
    );
  });

  it('replaces pods only when deleted with OnDelete', async () => {
    await sets().create(web({ updateStrategy: { type: 'OnDelete' } }));
    await eventually(() => rolledOut(3), 10_000, 'rollout');
    await changeSet((set) => {
      const container = set.spec?.template.spec?.containers[0];
      if (container) container.image = 'nginx:1.28';
    });
    const set = await eventually(
      async () => {
        const live = await sets().get('default', 'web');
        return live?.status?.observedGeneration === live?.metadata?.generation && live;
      },
      5_000,
      'update observed',
    );
    expect(set.status?.updatedReplicas ?? 0).toBe(0);
    expect(await podNames()).toEqual(['web-0', 'web-1', 'web-2']);
    const before = (await pods().get('default', 'web-1'))?.metadata?.uid;
    await pods().delete('default', 'web-1');
    await eventually(
      async () => {
        const pod = await pods().get('default', 'web-1');
        return (
          pod?.metadata?.uid !== before && pod?.spec?.containers[0]?.image === 'nginx:1.28' && isPodReady(pod)
        );
      },
      10_000,
      'web-1 recreated at the new revision',
    );
    expect((await pods().get('default', 'web-0'))?.spec?.containers[0]?.image).toBe('nginx:1.27');
  });

  it('recreates a failed pod', async () => {
    await sets().create(web({ replicas: 1 }));
    await eventually(() => rolledOut(1), 10_000, 'rollout');
    const before = (await pods().get('default', 'web-0')) as V1Pod;
    await pods().mutate(
      'default',
      'web-0',
      (live) => {
        live.status = { ...live.status, phase: 'Failed', conditions: [] };
        return live;
      },
      { subresource: 'status' },
    );
    await eventually(
      async () => {
        const pod = await pods().get('default', 'web-0');
        return pod?.metadata?.uid !== before.metadata?.uid && pod !== undefined && isPodReady(pod);
      },
      10_000,
      'web-0 recreated',
    );
  });

  it('hands claims to the set or to condemned pods as the retention policy says', async () => {
    await sets().create(
      web({
        replicas: 2,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
      }),
    );
    const set = await eventually(() => rolledOut(2), 10_000, 'rollout');
    const owners = async (name: string) =>
      (await claims().get('default', name))?.metadata?.ownerReferences ?? [];
    expect(await owners('www-web-1')).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: 'web',
        uid: set.metadata?.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    const web1 = (await pods().get('default', 'web-1')) as V1Pod;
    await changeSet((live) => {
      if (live.spec) live.spec.replicas = 1;
    });
    await eventually(async () => (await podNames()).length === 1, 10_000, 'scaled down');
    expect(await owners('www-web-1')).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        name: 'web-1',
        uid: web1.metadata?.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect((await owners('www-web-0'))[0]?.kind).toBe('StatefulSet');
  });

  it('adopts a matching orphan pod with its name', async () => {
    const orphan: V1Pod = {
      metadata: { name: 'web-0', namespace: 'default', labels: { app: 'nginx' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
    };
    await pods().create(orphan);
    await sets().create(web({ replicas: 1, volumeClaimTemplates: [] }));
    const adopted = await eventually(
      async () => {
        const pod = await pods().get('default', 'web-0');
        return pod?.metadata?.ownerReferences?.[0]?.kind === 'StatefulSet' && pod;
      },
      5_000,
      'adoption',
    );
    expect(adopted.metadata?.labels?.['statefulset.kubernetes.io/pod-name']).toBe('web-0');
  });
});
