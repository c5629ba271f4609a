// PodDisruptionBudget status from the pods it selects and their controllers' scale, and the
// eviction decision that reads it.

import type { V1PodDisruptionBudget, V1PodDisruptionBudgetSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteObject } from '../../api/rest/deleteObject';
import { isApiError } from '../../api/status';
import { createRunningPod, setPodReady } from '../endpoints/testPods';
import { controllerRef } from '../runtime/ownerReferences';
import { resources } from '../runtime/resources';
import { type ControllerHarness, eventually, startControllerHarness } from '../testing/controllerHarness';
import { disruptionController } from './disruptionController';
import { admitEviction } from './evictionAdmission';

let h: ControllerHarness;

beforeEach(async () => {
  h = await startControllerHarness([disruptionController]);
});

afterEach(async () => {
  await h.stop();
});

const budgets = () => h.ctx.client.resource(resources.podDisruptionBudgets);

async function replicaSet(
  name: string,
  replicas: number,
  owner?: V1ReplicaSet['metadata'],
): Promise<V1ReplicaSet> {
  return h.ctx.client.resource(resources.replicaSets).create({
    metadata: {
      name,
      namespace: 'default',
      ...(owner ? { ownerReferences: [controllerRef({ metadata: owner }, 'apps/v1', 'Deployment')] } : {}),
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    },
  });
}

async function podsOf(rs: V1ReplicaSet, count: number, app = rs.metadata?.name ?? '') {
  for (let i = 0; i < count; i++) {
    await createRunningPod(h.ctx.client, {
      name: `${rs.metadata?.name}-${i}`,
      labels: { app },
      ip: `10.244.0.${i + 1}`,
      ownerReferences: [controllerRef(rs, 'apps/v1', 'ReplicaSet')],
    });
  }
}

async function budget(name: string, spec: V1PodDisruptionBudgetSpec) {
  return budgets().create({ metadata: { name, namespace: 'default' }, spec });
}

async function statusWhere(name: string, check: (pdb: V1PodDisruptionBudget) => boolean) {
  return eventually(
    async () => {
      const pdb = await budgets().get('default', name);
      return pdb && check(pdb) ? pdb : undefined;
    },
    10_000,
    `status of ${name}`,
  );
}

async function evict(name: string) {
  await admitEviction(h.rest, 'default', name);
  await deleteObject(h.rest, h.ctx.client.info(resources.pods), 'default', name);
}

describe('disruption controller', () => {
  it('counts a minAvailable budget and its condition', async () => {
    const rs = await replicaSet('web', 3);
    await podsOf(rs, 3);
    await budget('web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
    const pdb = await statusWhere('web', (p) => p.status?.currentHealthy === 3);
    expect(pdb.status).toMatchObject({
      observedGeneration: 1,
      expectedPods: 3,
      desiredHealthy: 2,
      currentHealthy: 3,
      disruptionsAllowed: 1,
    });
    expect(pdb.status?.conditions).toEqual([
      {
        type: 'DisruptionAllowed',
        status: 'True',
        reason: 'SufficientPods',
        message: '',
        observedGeneration: 1,
        lastTransitionTime: expect.any(String),
      },
    ]);

    await setPodReady(h.ctx.client, 'default', 'web-1', false);
    const short = await statusWhere('web', (p) => p.status?.currentHealthy === 2);
    expect(short.status?.disruptionsAllowed).toBe(0);
    expect(short.status?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
  });

  it('takes the expected count from the Deployment scale for maxUnavailable', async () => {
    const deployment = await h.ctx.client.resource(resources.deployments).create({
      metadata: { name: 'api', namespace: 'default' },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'api' } },
        template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      },
    });
    const rs = await replicaSet('api-7d9f', 4, deployment.metadata);
    await podsOf(rs, 4, 'api');
    await budget('api', { maxUnavailable: '25%', selector: { matchLabels: { app: 'api' } } });
    const pdb = await statusWhere('api', (p) => p.status?.currentHealthy === 4);
    expect(pdb.status).toMatchObject({ expectedPods: 4, desiredHealthy: 3, disruptionsAllowed: 1 });
  });

  it('fails safe when a pod controller cannot be found', async () => {
    await createRunningPod(h.ctx.client, {
      name: 'job-pod',
      labels: { app: 'batch' },
      ip: '10.244.9.9',
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'u', controller: true }],
    });
    await budget('batch', { maxUnavailable: 1, selector: { matchLabels: { app: 'batch' } } });
    const pdb = await statusWhere('batch', (p) => p.status?.conditions?.[0]?.reason === 'SyncFailed');
    expect(pdb.status?.disruptionsAllowed).toBe(0);
    expect(pdb.status?.conditions?.[0]?.message).toBe('found no controllers for pod "job-pod"');
  });
});

describe('eviction', () => {
  it('allows evictions the budget can afford and refuses the next with 429', async () => {
    const rs = await replicaSet('db', 3);
    await podsOf(rs, 3);
    await budget('db', { minAvailable: 2, selector: { matchLabels: { app: 'db' } } });
    await statusWhere('db', (p) => p.status?.disruptionsAllowed === 1);

    await evict('db-0');
    const charged = await budgets().get('default', 'db');
    expect(charged?.status?.disruptedPods).toHaveProperty('db-0');
    await statusWhere('db', (p) => p.status?.currentHealthy === 2);
    const error = await evict('db-1').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isApiError(error)).toBe(true);
    if (!isApiError(error)) return;
    expect(error.code).toBe(429);
    expect(error.status).toMatchObject({
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: {
        retryAfterSeconds: 10,
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget db needs 2 healthy pods and has 2 currently',
          },
        ],
      },
    });
    expect(await h.ctx.client.resource(resources.pods).get('default', 'db-1')).toBeDefined();
  });

  it('lets pods go freely when no budget selects them or they are not running', async () => {
    const rs = await replicaSet('free', 1);
    await podsOf(rs, 1);
    await evict('free-0');
    expect(await h.ctx.client.resource(resources.pods).get('default', 'free-0')).toBeUndefined();
    await expect(admitEviction(h.rest, 'default', 'missing')).rejects.toMatchObject({ code: 404 });
  });
});
