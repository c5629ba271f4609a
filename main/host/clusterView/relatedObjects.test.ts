import type {
  CoreV1Event,
  V1Deployment,
  V1Job,
  V1Node,
  V1Pod,
  V1ReplicaSet,
  V1Service,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { type RelatedSource, relatedEventLimit, relatedObjects } from './relatedObjects';

const now = new Date('2025-01-01T00:10:00Z');

const owner = (kind: string, name: string, uid: string, apiVersion = 'apps/v1') => ({
  apiVersion,
  kind,
  name,
  uid,
  controller: true,
});

const deployment: V1Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', uid: 'd1' },
};
const replicaSets: V1ReplicaSet[] = [
  {
    metadata: {
      name: 'web-1',
      namespace: 'shop',
      uid: 'rs1',
      ownerReferences: [owner('Deployment', 'web', 'd1')],
    },
  },
  {
    metadata: {
      name: 'web-2',
      namespace: 'shop',
      uid: 'rs2',
      ownerReferences: [owner('Deployment', 'web', 'd1')],
    },
  },
  {
    metadata: {
      name: 'api-1',
      namespace: 'shop',
      uid: 'rs3',
      ownerReferences: [owner('Deployment', 'api', 'd2')],
    },
  },
];
const pod = (
  name: string,
  rs: string,
  rsUid: string,
  labels: Record<string, string>,
  node: string,
): V1Pod => ({
  metadata: {
    name,
    namespace: 'shop',
    uid: `p-${name}`,
    labels,
    ownerReferences: [owner('ReplicaSet', rs, rsUid)],
    creationTimestamp: new Date('2025-01-01T00:00:00Z'),
  },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'x' }] },
  status: {
    phase: 'Running',
    containerStatuses: [
      { name: 'c', ready: true, restartCount: 0, image: 'x', imageID: '', state: { running: {} } },
    ],
    conditions: [{ type: 'Ready', status: 'True' }],
  },
});
const pods: V1Pod[] = [
  pod('web-1-a', 'web-1', 'rs1', { app: 'web' }, 'n1'),
  pod('web-2-b', 'web-2', 'rs2', { app: 'web', track: 'canary' }, 'n2'),
  pod('api-1-c', 'api-1', 'rs3', { app: 'api' }, 'n1'),
];
const jobs: V1Job[] = [
  {
    metadata: {
      name: 'nightly-1',
      namespace: 'shop',
      uid: 'j1',
      ownerReferences: [owner('CronJob', 'nightly', 'cj1', 'batch/v1')],
    },
  },
];
const event = (
  name: string,
  involved: CoreV1Event['involvedObject'],
  last: string,
  type = 'Normal',
): CoreV1Event => ({
  metadata: { name, namespace: involved.namespace ?? 'default' },
  involvedObject: involved,
  reason: name,
  message: `${name} happened`,
  type,
  count: 1,
  lastTimestamp: new Date(last),
});
const events: CoreV1Event[] = [
  event(
    'ScalingReplicaSet',
    { kind: 'Deployment', name: 'web', namespace: 'shop', uid: 'd1' },
    '2025-01-01T00:01:00Z',
  ),
  event(
    'Rescaled',
    { kind: 'Deployment', name: 'web', namespace: 'shop', uid: 'd1' },
    '2025-01-01T00:05:00Z',
  ),
  event('Other', { kind: 'Deployment', name: 'api', namespace: 'shop', uid: 'd2' }, '2025-01-01T00:06:00Z'),
  event('NodeNotReady', { kind: 'Node', name: 'n1', uid: 'n1' }, '2025-01-01T00:07:00Z', 'Warning'),
];

const source: RelatedSource = {
  pods: (namespace) => pods.filter((p) => !namespace || p.metadata?.namespace === namespace),
  replicaSets: (namespace) => replicaSets.filter((r) => r.metadata?.namespace === namespace),
  jobs: (namespace) => jobs.filter((j) => j.metadata?.namespace === namespace),
  events: (namespace) => events.filter((e) => !namespace || e.metadata?.namespace === namespace),
};

describe('related objects', () => {
  it("finds a Deployment's pods through its ReplicaSets, and its events newest first", () => {
    const related = relatedObjects('Deployment', deployment, source, now);
    expect(related.pods.map((p) => p.name)).toEqual(['web-1-a', 'web-2-b']);
    expect(related.pods[0]).toEqual({
      kind: 'Pod',
      name: 'web-1-a',
      namespace: 'shop',
      resource: 'pods',
      status: 'Running',
      health: 'ok',
    });
    expect(related.podsVia).toBe('owned through its ReplicaSets');
    expect(related.events.map((e) => e.reason)).toEqual(['Rescaled', 'ScalingReplicaSet']);
    expect(related.owners).toEqual([]);
  });

  it("follows a pod's owners up the controller chain", () => {
    const related = relatedObjects('Pod', pods[0] as V1Pod, source, now);
    expect(related.owners).toEqual([
      { kind: 'ReplicaSet', name: 'web-1', namespace: 'shop', resource: 'replicasets', health: 'none' },
      { kind: 'Deployment', name: 'web', namespace: 'shop', resource: 'deployments', health: 'none' },
    ]);
    expect(related.podsVia).toBeUndefined();
  });

  it("lists a ReplicaSet's own pods, and a CronJob's through its Jobs", () => {
    expect(
      relatedObjects('ReplicaSet', replicaSets[1] as V1ReplicaSet, source, now).pods.map((p) => p.name),
    ).toEqual(['web-2-b']);
    const jobPod: V1Pod = {
      metadata: {
        name: 'nightly-1-x',
        namespace: 'shop',
        ownerReferences: [owner('Job', 'nightly-1', 'j1', 'batch/v1')],
      },
    };
    const withJobPod = { ...source, pods: () => [...pods, jobPod] };
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'shop', uid: 'cj1' },
    };
    expect(relatedObjects('CronJob', cronJob, withJobPod, now).pods.map((p) => p.name)).toEqual([
      'nightly-1-x',
    ]);
    expect(relatedObjects('Job', jobs[0] as V1Job, withJobPod, now).owners.map((o) => o.resource)).toEqual([
      'cronjobs',
    ]);
  });

  it('lists the pods a Service selects, and says when it selects none', () => {
    const service: V1Service = {
      metadata: { name: 'web', namespace: 'shop', uid: 's1' },
      spec: { selector: { app: 'web', track: 'canary' } },
    };
    const related = relatedObjects('Service', service, source, now);
    expect(related.pods.map((p) => p.name)).toEqual(['web-2-b']);
    expect(related.podsVia).toBe('selected by app=web,track=canary');
    const manual = relatedObjects(
      'Service',
      { metadata: { name: 'ext', namespace: 'shop' }, spec: {} } as V1Service,
      source,
      now,
    );
    expect(manual.pods).toEqual([]);
    expect(manual.podsVia).toBe('no selector: its endpoints are managed by hand');
  });

  it("lists a node's pods in every namespace and the node's events", () => {
    const node: V1Node = { metadata: { name: 'n1', uid: 'n1' } };
    const related = relatedObjects('Node', node, source, now);
    expect(related.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['shop/api-1-c', 'shop/web-1-a']);
    expect(related.events).toEqual([
      {
        type: 'Warning',
        reason: 'NodeNotReady',
        message: 'NodeNotReady happened',
        count: 1,
        last: '2025-01-01T00:07:00.000Z',
      },
    ]);
  });

  it('keeps only the newest events', () => {
    const many = Array.from({ length: relatedEventLimit + 5 }, (_, i) =>
      event(
        `E${i}`,
        { kind: 'Deployment', name: 'web', namespace: 'shop', uid: 'd1' },
        new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
      ),
    );
    const related = relatedObjects('Deployment', deployment, { ...source, events: () => many }, now);
    expect(related.events).toHaveLength(relatedEventLimit);
    expect(related.events[0]?.reason).toBe(`E${relatedEventLimit + 4}`);
  });
});
