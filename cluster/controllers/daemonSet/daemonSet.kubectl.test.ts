// Acceptance with the real kubectl 1.35 against a control plane with three simulated nodes and the
// real scheduler: a DaemonSet follows nodes being added and removed, and `rollout status`,
// `history` and `undo` work for it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubectlCluster, startKubectlCluster } from '../../api/testing/kubectlCluster';
import type { SimulatedNodes } from '../../simulatedNodes/simulatedNodes';
import { eventually } from '../testing/controllerHarness';

const manifest = `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: busybox:1.36
`;

describe('DaemonSets with kubectl', () => {
  let cluster: KubectlCluster;
  let nodes: SimulatedNodes;

  const ok = (...args: string[]) => cluster.ok(...args);

  /** Nodes with a live daemon pod, sorted. */
  async function podNodes(): Promise<string> {
    const out = await ok(
      'get',
      'pods',
      '-l',
      'app=agent',
      '-o',
      'jsonpath={range .items[*]}{.spec.nodeName}{" "}{.metadata.deletionTimestamp}{"\\n"}{end}',
    );
    return out
      .split('\n')
      .filter((line) => line.trim() !== '' && line.trim().split(' ').length === 1)
      .map((line) => line.trim())
      .sort()
      .join(' ');
  }

  beforeAll(async () => {
    cluster = await startKubectlCluster({ name: 'ds', simulatedNodes: 3, kubectlTimeoutMs: 90_000 });
    nodes = cluster.plane.simulatedNodes as SimulatedNodes;
  }, 60_000);

  afterAll(() => cluster?.stop());

  it('follows nodes being added and removed and rolls out, back and forth', async () => {
    await cluster.apply('agent', manifest);
    expect(await ok('rollout', 'status', 'daemonset/agent', '--timeout=60s')).toContain(
      'daemon set "agent" successfully rolled out',
    );
    expect(await podNodes()).toBe('sim-node-1 sim-node-2 sim-node-3');

    await nodes.add({ name: 'sim-node-4' });
    await eventually(
      async () => (await podNodes()) === 'sim-node-1 sim-node-2 sim-node-3 sim-node-4',
      30_000,
      'a pod on the added node',
    );
    await ok('rollout', 'status', 'daemonset/agent', '--timeout=60s');
    expect(await ok('get', 'daemonset', 'agent')).toMatch(/agent\s+4\s+4\s+4\s+4\s+4/);

    await nodes.remove('sim-node-2');
    await eventually(
      async () => (await podNodes()) === 'sim-node-1 sim-node-3 sim-node-4',
      30_000,
      'the removed node’s pod gone',
    );
    await eventually(
      async () => /agent\s+3\s+3\s+3\s+3\s+3/.test(await ok('get', 'daemonset', 'agent')),
      30_000,
      'status of three',
    );

    await ok('set', 'image', 'daemonset/agent', 'agent=busybox:1.37');
    expect(await ok('rollout', 'status', 'daemonset/agent', '--timeout=60s')).toContain(
      'successfully rolled out',
    );
    const images = () =>
      ok('get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={.items[*].spec.containers[0].image}');
    await eventually(
      async () => (await images()) === 'busybox:1.37 busybox:1.37 busybox:1.37',
      30_000,
      'updated pods',
    );
    expect(await ok('rollout', 'history', 'daemonset/agent')).toMatch(
      /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/,
    );
    expect(await ok('rollout', 'history', 'daemonset/agent', '--revision=1')).toContain(
      'Image:\tbusybox:1.36',
    );

    expect(await ok('rollout', 'undo', 'daemonset/agent')).toContain('daemonset.apps/agent rolled back');
    await ok('rollout', 'status', 'daemonset/agent', '--timeout=60s');
    await eventually(
      async () => (await images()) === 'busybox:1.36 busybox:1.36 busybox:1.36',
      30_000,
      'rolled back pods',
    );
    expect(await ok('rollout', 'history', 'daemonset/agent')).toMatch(
      /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/,
    );
    expect(await ok('rollout', 'undo', 'daemonset/agent', '--to-revision=3')).toContain(
      'skipped rollback (current template already matches revision 3)',
    );
  }, 180_000);
});
