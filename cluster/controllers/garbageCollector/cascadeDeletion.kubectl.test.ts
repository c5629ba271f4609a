// Acceptance with the real kubectl: deleting an owner (a ReplicaSet whose pods the test creates)
// removes its dependents in the background, `--cascade=foreground` removes them first and
// `--cascade=orphan` leaves them; `kubectl delete ns` removes everything the namespace holds.

import type { V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubectlCluster, startKubectlCluster } from '../../api/testing/kubectlCluster';
import { namespaceController } from '../namespace/namespaceController';
import { controllerRef } from '../runtime/ownerReferences';
import { resources } from '../runtime/resources';
import { serviceAccountController } from '../serviceAccount/serviceAccountController';
import { eventually } from '../testing/controllerHarness';
import { garbageCollectorController } from './garbageCollector';

let cluster: KubectlCluster;

const ok = (...args: string[]) => cluster.ok(...args);

/** A ReplicaSet and `count` pods it controls, in `namespace`. */
async function replicaSetWithPods(namespace: string, name: string, count: number): Promise<V1ReplicaSet> {
  const client = cluster.plane.controllerContext.client;
  const rs = await client.resource(resources.replicaSets).create({
    metadata: { name, namespace },
    spec: {
      replicas: count,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'registry.local/app:1' }] },
      },
    },
  });
  for (let i = 0; i < count; i++) {
    await client.resource(resources.pods).create({
      metadata: {
        name: `${name}-${i}`,
        namespace,
        labels: { app: name },
        ownerReferences: [controllerRef(rs, 'apps/v1', 'ReplicaSet')],
      },
      spec: { containers: [{ name: 'c', image: 'registry.local/app:1' }] },
    });
  }
  return rs;
}

const podNames = async (app: string, namespace = 'default') =>
  (await ok('get', 'pods', '-n', namespace, '-l', `app=${app}`, '-o', 'name')).split('\n').filter(Boolean);

beforeAll(async () => {
  cluster = await startKubectlCluster({
    name: 'cascade',
    // Only the lifecycle controllers: no ReplicaSet controller replaces the pods we create.
    controllers: { factories: [garbageCollectorController, namespaceController(), serviceAccountController] },
  });
}, 120_000);

afterAll(() => cluster?.stop());

describe('cascading deletion with kubectl', () => {
  it('removes the pods of a deleted ReplicaSet in the background', async () => {
    await replicaSetWithPods('default', 'web', 3);
    expect(await podNames('web')).toHaveLength(3);
    expect(await ok('delete', 'rs', 'web')).toContain('replicaset.apps "web" deleted');
    await eventually(async () => (await podNames('web')).length === 0, 20_000, 'pods collected');
  });

  it('removes the pods before the ReplicaSet with --cascade=foreground', async () => {
    await replicaSetWithPods('default', 'fg', 2);
    expect(await ok('delete', 'rs', 'fg', '--cascade=foreground')).toContain('replicaset.apps "fg" deleted');
    // kubectl waited for the ReplicaSet to go; in Foreground its pods went first.
    expect(await podNames('fg')).toEqual([]);
  });

  it('leaves the pods, without their owner reference, with --cascade=orphan', async () => {
    await replicaSetWithPods('default', 'keep', 2);
    expect(await ok('delete', 'rs', 'keep', '--cascade=orphan')).toContain('replicaset.apps "keep" deleted');
    expect((await cluster.kubectl(['get', 'rs', 'keep'])).stderr).toContain('not found');
    expect(await podNames('keep')).toEqual(['pod/keep-0', 'pod/keep-1']);
    const owners = await ok(
      'get',
      'pods',
      '-l',
      'app=keep',
      '-o',
      'jsonpath={.items[*].metadata.ownerReferences}',
    );
    expect(owners).toBe('');
  });

  it('removes a namespace with its content', async () => {
    await ok('create', 'namespace', 'shop');
    await ok('create', 'configmap', 'settings', '-n', 'shop', '--from-literal=colour=blue');
    await replicaSetWithPods('shop', 'cart', 2);
    expect(await ok('delete', 'ns', 'shop')).toContain('namespace "shop" deleted');
    expect((await cluster.kubectl(['get', 'ns', 'shop'])).stderr).toContain('namespaces "shop" not found');
    const left = await ok('get', 'pods,rs,cm,sa', '-A', '-o', 'jsonpath={.items[*].metadata.namespace}');
    expect(left.split(' ')).not.toContain('shop');
  });
});
