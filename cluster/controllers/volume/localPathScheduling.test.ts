// The whole path for a claim of the default (WaitForFirstConsumer) class, with every built-in
// controller, the scheduler and simulated nodes: the pod is scheduled, the scheduler names its
// node on the claim, a local-path volume is provisioned there, and the pod runs.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubectlCluster, startKubectlCluster } from '../../api/testing/kubectlCluster';
import { resources } from '../runtime/resources';
import { eventually } from '../testing/controllerHarness';

let cluster: KubectlCluster;

beforeAll(async () => {
  cluster = await startKubectlCluster({ name: 'local-path', simulatedNodes: 3 });
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('a pod with a claim of the default class', () => {
  it('runs on the node its provisioned volume is pinned to', async () => {
    const client = cluster.plane.controllerContext.client;
    await eventually(() => client.resource(resources.storageClasses).get(undefined, 'standard'));
    const claim = await client.resource(resources.persistentVolumeClaims).create({
      metadata: { name: 'data', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    expect(claim.spec?.storageClassName).toBe('standard');
    await client.resource(resources.pods).create({
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        containers: [
          { name: 'db', image: 'registry.local/db:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      },
    });
    const pod = await eventually(
      async () => {
        const p = await client.resource(resources.pods).get('default', 'db');
        return p?.status?.phase === 'Running' ? p : undefined;
      },
      30_000,
      'pod running',
    );
    const bound = await client.resource(resources.persistentVolumeClaims).get('default', 'data');
    expect(bound?.status?.phase).toBe('Bound');
    expect(bound?.metadata?.annotations?.['volume.kubernetes.io/selected-node']).toBe(pod.spec?.nodeName);
    const pv = await client
      .resource(resources.persistentVolumes)
      .get(undefined, bound?.spec?.volumeName ?? '');
    expect(pv?.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values).toEqual([
      pod.spec?.nodeName,
    ]);
  }, 60_000);
});
