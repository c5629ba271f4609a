// Acceptance with the real kubectl, every built-in controller and simulated nodes: deleting a
// Deployment removes its ReplicaSets and Pods; `--cascade=orphan` leaves them running.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubectlCluster, startKubectlCluster } from '../../api/testing/kubectlCluster';
import { eventually } from '../testing/controllerHarness';

let cluster: KubectlCluster;

const ok = (...args: string[]) => cluster.ok(...args);

const names = async (kind: string, app: string) =>
  (await ok('get', kind, '-l', `app=${app}`, '-o', 'name')).split('\n').filter(Boolean);

async function deployment(name: string, replicas: number): Promise<void> {
  await cluster.apply(
    name,
    `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: app, image: registry.local/${name}:1 }] }
`,
  );
  await ok('rollout', 'status', `deployment/${name}`, '--timeout=60s');
}

beforeAll(async () => {
  cluster = await startKubectlCluster({ name: 'deploy-cascade', simulatedNodes: 2 });
}, 120_000);

afterAll(() => cluster?.stop());

describe('deleting a Deployment with kubectl', () => {
  it('removes its ReplicaSets and Pods', async () => {
    await deployment('web', 3);
    expect(await names('pods', 'web')).toHaveLength(3);
    expect(await ok('delete', 'deployment', 'web')).toContain('deployment.apps "web" deleted');
    await eventually(
      async () => (await names('rs', 'web')).length === 0 && (await names('pods', 'web')).length === 0,
      30_000,
      'replica sets and pods collected',
    );
  }, 90_000);

  it('leaves them with --cascade=orphan', async () => {
    await deployment('keep', 2);
    const [rs] = await names('rs', 'keep');
    expect(await ok('delete', 'deployment', 'keep', '--cascade=orphan')).toContain(
      'deployment.apps "keep" deleted',
    );
    expect(await names('rs', 'keep')).toEqual([rs]);
    expect(await ok('get', rs ?? '', '-o', 'jsonpath={.metadata.ownerReferences}')).toBe('');
    expect(await names('pods', 'keep')).toHaveLength(2);
  }, 90_000);
});
