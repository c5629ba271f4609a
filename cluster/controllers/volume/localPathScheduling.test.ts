// The whole path for a claim of the default (WaitForFirstConsumer) class, with every built-in
// controller, the scheduler and simulated nodes: the pod is scheduled, the scheduler names its
// node on the claim, a local-path volume is provisioned there, and the pod runs.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../../controlPlane';
import { createMemoryStore } from '../../store/memoryStore';
import type { Store } from '../../store/store';
import { resources } from '../runtime/resources';
import { eventually } from '../testing/controllerHarness';

let dir: string;
let store: Store;
let plane: ControlPlane;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubedesk-local-path-'));
  store = createMemoryStore();
  plane = await startControlPlane({ dataDir: join(dir, 'data'), store, port: 0, simulatedNodes: 3 });
}, 60_000);

afterAll(async () => {
  await plane?.stop();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a pod with a claim of the default class', () => {
  it('runs on the node its provisioned volume is pinned to', async () => {
    const client = plane.controllerContext.client;
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
