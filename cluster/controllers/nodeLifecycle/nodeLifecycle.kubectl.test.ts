// Acceptance with the real kubectl: a control plane with three simulated nodes and the built-in
// controllers (node lifecycle with a 3 s grace period instead of 40 s). A node whose heartbeats
// stop turns NotReady, gets the unreachable taints, and a pod tolerating that for 2 s is evicted
// and removed; pods with the default 300 s toleration stay. When heartbeats resume the node is
// Ready again, untainted, and its pods Ready. With the scheduler, a Deployment whose pods tolerate
// the unreachable taint for 2 s gets them recreated on the other nodes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubectlCluster, startKubectlCluster } from '../../api/testing/kubectlCluster';
import { scheduler } from '../../scheduler/scheduler';
import { builtinControllers } from '../builtinControllers';
import { eventually } from '../testing/controllerHarness';
import { createNodeLifecycleController, nodeLifecycleController } from './nodeLifecycleController';

const podYaml = (name: string, tolerationSeconds?: number) => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: sim-node-2
  containers:
  - name: app
    image: nginx:1.27
${
  tolerationSeconds === undefined
    ? ''
    : `  tolerations:
  - key: node.kubernetes.io/unreachable
    operator: Exists
    effect: NoExecute
    tolerationSeconds: ${tolerationSeconds}
`
}`;

describe('node lifecycle with kubectl and simulated nodes', () => {
  let cluster: KubectlCluster;

  const ok = (...args: string[]) => cluster.ok(...args);

  const nodeStatus = async (name: string) =>
    (await ok('get', 'node', name, '--no-headers')).trim().split(/\s+/)[1];

  beforeAll(async () => {
    const factories = builtinControllers.map((factory) =>
      factory === nodeLifecycleController
        ? createNodeLifecycleController({ nodeMonitorGracePeriodMs: 3_000, nodeMonitorPeriodMs: 500 })
        : factory,
    );
    // The scheduler runs beside the controllers, as kube-scheduler does.
    if (!factories.includes(scheduler)) factories.push(scheduler);
    cluster = await startKubectlCluster({
      name: 'node-lifecycle',
      controllers: { factories },
      simulatedNodes: { count: 3, leaseRenewMs: 500 },
    });
  }, 60_000);

  afterAll(() => cluster?.stop());

  it('lists three Ready simulated nodes', async () => {
    const lines = (await ok('get', 'nodes', '--no-headers')).trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['sim-node-1', 'Ready'],
      ['sim-node-2', 'Ready'],
      ['sim-node-3', 'Ready'],
    ]);
    expect(await ok('get', 'nodes', '-l', 'node.kubedesk.io/simulated=true', '-o', 'name')).toContain(
      'node/sim-node-3',
    );
  });

  it('turns a silent node NotReady and evicts the pod that tolerates that for 2 s', async () => {
    await cluster.apply('pods', `${podYaml('short-lived', 2)}---${podYaml('patient')}`);
    await ok('wait', '--for=condition=Ready', 'pod/short-lived', 'pod/patient', '--timeout=30s');
    // The API server's defaulting gave the pod without tolerations the standard 300 s ones.
    expect(
      await ok(
        'get',
        'pod',
        'patient',
        '-o',
        'jsonpath={.spec.tolerations[?(@.key=="node.kubernetes.io/unreachable")].tolerationSeconds}',
      ),
    ).toBe('300');

    cluster.plane.simulatedNodes?.pauseHeartbeat('sim-node-2');
    await eventually(async () => (await nodeStatus('sim-node-2')) === 'NotReady', 20_000, 'NotReady');
    expect(await nodeStatus('sim-node-1')).toBe('Ready');
    expect(
      await ok('get', 'node', 'sim-node-2', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].reason}'),
    ).toBe('NodeStatusUnknown');
    await eventually(
      async () =>
        (await ok('get', 'node', 'sim-node-2', '-o', 'jsonpath={.spec.taints[*].key}')).includes(
          'node.kubernetes.io/unreachable',
        ),
      10_000,
      'unreachable taint',
    );

    await ok('wait', '--for=delete', 'pod/short-lived', '--timeout=30s');
    const evictions = await ok(
      'get',
      'events',
      '--field-selector',
      'reason=TaintManagerEviction',
      '-o',
      'jsonpath={.items[*].message}',
    );
    expect(evictions).toContain('Marking for deletion Pod default/short-lived');
    expect(await ok('get', 'pod', 'patient', '-o', 'jsonpath={.metadata.deletionTimestamp}')).toBe('');
    expect(
      await ok('get', 'pod', 'patient', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'),
    ).toBe('False');
  });

  it('brings the node and its pods back when heartbeats resume', async () => {
    cluster.plane.simulatedNodes?.resumeHeartbeat('sim-node-2');
    await eventually(async () => (await nodeStatus('sim-node-2')) === 'Ready', 20_000, 'Ready again');
    await eventually(
      async () => (await ok('get', 'node', 'sim-node-2', '-o', 'jsonpath={.spec.taints}')) === '',
      10_000,
      'taints removed',
    );
    await ok('wait', '--for=condition=Ready', 'pod/patient', '--timeout=30s');
  });

  it('recreates the pods of a Deployment on other nodes when their node stops heartbeating', async () => {
    await cluster.apply(
      'web',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      tolerations:
      - { key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2 }
      containers:
      - { name: app, image: nginx:1.27 }
`,
    );
    await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
    const placement = async () =>
      (
        await ok(
          'get',
          'pods',
          '-l',
          'app=web',
          '-o',
          'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.metadata.deletionTimestamp}{"\\n"}{end}',
        )
      )
        .trim()
        .split('\n')
        .map((line) => line.split(' '));
    const before = await placement();
    const victim = before[0]?.[1] as string;
    const moved = before.filter(([, node]) => node === victim).map(([name]) => name);

    cluster.plane.simulatedNodes?.pauseHeartbeat(victim);
    await eventually(async () => (await nodeStatus(victim)) === 'NotReady', 20_000, 'NotReady');
    for (const name of moved) await ok('wait', '--for=delete', `pod/${name}`, '--timeout=30s');
    await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
    const after = await placement();
    expect(after).toHaveLength(3);
    expect(after.filter(([, node]) => node === victim)).toEqual([]);
    cluster.plane.simulatedNodes?.resumeHeartbeat(victim);
  });
});
