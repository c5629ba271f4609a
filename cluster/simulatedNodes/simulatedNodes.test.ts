import type { V1Pod } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resources } from '../controllers/runtime/resources';
import {
  type ControllerHarness,
  eventually,
  startControllerHarness,
} from '../controllers/testing/controllerHarness';
import { nodeLeaseNamespace } from './nodeLease';
import { type SimulatedNodes, startSimulatedNodes } from './simulatedNodes';

let h: ControllerHarness;
let nodes: SimulatedNodes;

const pod = (
  name: string,
  nodeName: string,
  extra: Partial<V1Pod['spec']> = {},
  annotations = {},
): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', annotations },
  spec: { nodeName, containers: [{ name: 'app', image: 'nginx:1.27' }], ...extra },
});

const pods = () => h.ctx.client.resource(resources.pods);
const getPod = (name: string) => pods().get('default', name);
const condition = (p: V1Pod | undefined, type: string) => p?.status?.conditions?.find((c) => c.type === type);

beforeEach(async () => {
  h = await startControllerHarness([]);
  nodes = await startSimulatedNodes(h.ctx, { count: 2, leaseRenewMs: 40, podStartMs: 5 });
});

afterEach(async () => {
  nodes.stop();
  await h.stop();
});

describe('simulated nodes', () => {
  it('registers Ready nodes that look like a kubelet registered them, each with a Lease', async () => {
    const list = (await h.ctx.client.resource(resources.nodes).list()).items;
    expect(list.map((n) => n.metadata?.name).sort()).toEqual(['sim-node-1', 'sim-node-2']);
    const node = list.find((n) => n.metadata?.name === 'sim-node-2');
    expect(node?.metadata?.labels).toMatchObject({
      'kubernetes.io/hostname': 'sim-node-2',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'node.kubedesk.io/simulated': 'true',
    });
    expect(node?.spec?.podCIDR).toBe('10.245.2.0/24');
    expect(node?.status?.addresses).toContainEqual({ type: 'InternalIP', address: '10.89.0.3' });
    expect(node?.status?.allocatable).toMatchObject({ cpu: '4', memory: '8Gi', pods: '110' });
    expect(node?.status?.nodeInfo?.kubeletVersion).toBe('v1.35.0');
    expect(node?.status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ]);
    const lease = await h.ctx.client.resource(resources.leases).get(nodeLeaseNamespace, 'sim-node-2');
    expect(lease?.spec?.holderIdentity).toBe('sim-node-2');
    expect(lease?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Node', uid: node?.metadata?.uid });
  });

  it('adds nodes with their own capacity, labels and taints', async () => {
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    const node = await nodes.add({
      name: 'big',
      capacity: { cpu: '32', memory: '128Gi' },
      labels: { zone: 'b' },
      taints: [taint],
    });
    expect(node.status?.capacity).toMatchObject({ cpu: '32', memory: '128Gi', pods: '110' });
    expect(node.metadata?.labels?.zone).toBe('b');
    expect(node.spec?.taints).toEqual([taint]);
    expect(node.spec?.podCIDR).toBe('10.245.3.0/24');
    expect(nodes.names()).toContain('big');
  });

  it('runs a bound pod: Running, Ready, with an IP from the node pod CIDR', async () => {
    await pods().create(pod('web', 'sim-node-1'));
    const running = await eventually(async () => {
      const p = await getPod('web');
      return condition(p, 'Ready')?.status === 'True' && p;
    });
    expect(running.status?.phase).toBe('Running');
    expect(running.status?.podIP).toMatch(/^10\.245\.1\.\d+$/);
    expect(running.status?.hostIP).toBe('10.89.0.2');
    expect(
      ['Initialized', 'ContainersReady', 'PodScheduled'].map((t) => condition(running, t)?.status),
    ).toEqual(['True', 'True', 'True']);
    expect(running.status?.containerStatuses?.[0]).toMatchObject({
      name: 'app',
      ready: true,
      restartCount: 0,
      state: { running: {} },
    });
  });

  it('gives pods on one node distinct addresses and host-network pods the node address', async () => {
    await pods().create(pod('a', 'sim-node-2'));
    await pods().create(pod('b', 'sim-node-2'));
    await pods().create(pod('h', 'sim-node-2', { hostNetwork: true }));
    const ips = await eventually(async () => {
      const all = await Promise.all(['a', 'b', 'h'].map(getPod));
      const got = all.map((p) => p?.status?.podIP);
      return got.every(Boolean) && got;
    });
    expect(new Set(ips).size).toBe(3);
    expect(ips[2]).toBe('10.89.0.3');
  });

  it('completes pods that do not restart, with the annotated exit code', async () => {
    await pods().create(pod('ok', 'sim-node-1', { restartPolicy: 'Never' }));
    await pods().create(
      pod(
        'bad',
        'sim-node-1',
        { restartPolicy: 'Never' },
        { 'sim.kubedesk.io/exit-code': '3', 'sim.kubedesk.io/run-ms': '20' },
      ),
    );
    const ok = await eventually(async () => {
      const p = await getPod('ok');
      return p?.status?.phase === 'Succeeded' && p;
    });
    expect(ok.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(condition(ok, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    const bad = await eventually(async () => {
      const p = await getPod('bad');
      return p?.status?.phase === 'Failed' && p;
    });
    expect(bad.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 3,
      reason: 'Error',
    });
  });

  it('restarts failing OnFailure pods, counting restarts, and completes succeeding ones', async () => {
    await pods().create(
      pod(
        'crash',
        'sim-node-1',
        { restartPolicy: 'OnFailure' },
        { 'sim.kubedesk.io/exit-code': '1', 'sim.kubedesk.io/run-ms': '10' },
      ),
    );
    await pods().create(pod('fine', 'sim-node-1', { restartPolicy: 'OnFailure' }));
    const crashing = await eventually(async () => {
      const p = await getPod('crash');
      return (p?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2 && p;
    });
    expect(crashing.status?.phase).toBe('Running');
    expect(crashing.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 1 });
    await eventually(async () => (await getPod('fine'))?.status?.phase === 'Succeeded');
  });

  it('keeps a pod annotated not ready Running but not Ready until the annotation changes', async () => {
    await pods().create(pod('slow', 'sim-node-1', {}, { 'sim.kubedesk.io/ready': 'false' }));
    const running = await eventually(async () => {
      const p = await getPod('slow');
      return p?.status?.phase === 'Running' && p;
    });
    expect(condition(running, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
    await pods().mutate('default', 'slow', (live) => {
      live.metadata = { ...live.metadata, annotations: { 'sim.kubedesk.io/ready': 'true' } };
      return live;
    });
    await eventually(async () => condition(await getPod('slow'), 'Ready')?.status === 'True');
  });

  it('removes pods being deleted, as their kubelet would', async () => {
    await pods().create(pod('gone', 'sim-node-2'));
    await eventually(async () => (await getPod('gone'))?.status?.phase === 'Running');
    await pods().delete('default', 'gone');
    await eventually(async () => (await getPod('gone')) === undefined, 10_000, 'pod removed');
  });

  it('leaves alone pods bound to nodes it does not run, and pods of a failed node until it recovers', async () => {
    nodes.failNode('sim-node-2');
    await pods().create(pod('ghost', 'no-such-node'));
    await pods().create(pod('stuck', 'sim-node-2'));
    await pods().create(pod('marker', 'sim-node-1'));
    await eventually(async () => (await getPod('marker'))?.status?.phase === 'Running');
    expect((await getPod('ghost'))?.status?.phase).toBe('Pending');
    expect((await getPod('stuck'))?.status?.phase).toBe('Pending');
    nodes.recoverNode('sim-node-2');
    await eventually(async () => (await getPod('stuck'))?.status?.phase === 'Running');
    expect((await getPod('ghost'))?.status?.phase).toBe('Pending');
  });

  it('stops renewing the Lease while heartbeats are paused, and renews it again on resume', async () => {
    const leases = h.ctx.client.resource(resources.leases);
    const version = async () =>
      (await leases.get(nodeLeaseNamespace, 'sim-node-1'))?.metadata?.resourceVersion;
    const first = await version();
    await eventually(async () => (await version()) !== first, 5_000, 'a renewal');
    nodes.pauseHeartbeat('sim-node-1');
    // A beat already in flight may still land; after that nothing moves for many periods.
    await new Promise((r) => setTimeout(r, 100));
    const paused = await version();
    await new Promise((r) => setTimeout(r, 400));
    expect(await version()).toBe(paused);
    nodes.resumeHeartbeat('sim-node-1');
    await eventually(async () => (await version()) !== paused, 5_000, 'a renewal after resume');
  });

  it('reports Ready=False when told the node is not ready, and Ready again', async () => {
    const ready = async () =>
      (await h.ctx.client.resource(resources.nodes).get(undefined, 'sim-node-1'))?.status?.conditions?.find(
        (c) => c.type === 'Ready',
      );
    nodes.setReady('sim-node-1', false);
    await eventually(async () => (await ready())?.reason === 'KubeletNotReady');
    expect((await ready())?.status).toBe('False');
    nodes.setReady('sim-node-1', true);
    await eventually(async () => (await ready())?.status === 'True');
  });

  it('deletes the Node and its Lease when a node is removed', async () => {
    await nodes.remove('sim-node-2');
    expect(await h.ctx.client.resource(resources.nodes).get(undefined, 'sim-node-2')).toBeUndefined();
    expect(
      await h.ctx.client.resource(resources.leases).get(nodeLeaseNamespace, 'sim-node-2'),
    ).toBeUndefined();
    expect(nodes.names()).toEqual(['sim-node-1']);
    expect(() => nodes.pauseHeartbeat('sim-node-2')).toThrow(/no simulated node named sim-node-2/);
  });

  it('takes over Nodes left by an earlier run, keeping their pod CIDR', async () => {
    nodes.stop();
    const again = await startSimulatedNodes(h.ctx, { count: 2, leaseRenewMs: 40, podStartMs: 5 });
    try {
      expect(again.names()).toEqual(['sim-node-1', 'sim-node-2']);
      await pods().create(pod('later', 'sim-node-2'));
      const p = await eventually(async () => {
        const live = await getPod('later');
        return live?.status?.phase === 'Running' && live;
      });
      expect(p.status?.podIP).toMatch(/^10\.245\.2\./);
    } finally {
      again.stop();
    }
  });
});
