// Acceptance with the real kubectl against a control plane with three simulated nodes: pods are
// scheduled and run, cordoned and tainted nodes receive none, and an impossible pod stays Pending
// with the FailedScheduling message in `kubectl describe`.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubectlCluster, startKubectlCluster } from '../api/testing/kubectlCluster';
import { eventually } from '../controllers/testing/controllerHarness';

describe('scheduling with kubectl', () => {
  let cluster: KubectlCluster;

  const ok = (...args: string[]) => cluster.ok(...args);
  const kubectl: KubectlCluster['kubectl'] = (...args) => cluster.kubectl(...args);

  const podYaml = (name: string, memory: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: app
    image: nginx
    resources:
      requests:
        memory: ${memory}
`;

  beforeAll(async () => {
    cluster = await startKubectlCluster({ name: 'scheduler', simulatedNodes: 3 });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('leaves an impossible pod Pending and says why in describe', async () => {
    await kubectl(['apply', '-f', '-'], { input: podYaml('x', '1Ti') });
    const describe = await eventually(
      async () => {
        const out = await ok('describe', 'pod', 'x');
        return out.includes('FailedScheduling') && out;
      },
      20_000,
      'FailedScheduling in describe',
    );
    expect(describe).toContain('0/3 nodes are available: 3 Insufficient memory.');
    expect(describe).toMatch(/PodScheduled\s+False/);
    expect(describe).toMatch(/Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available/);
    expect(await ok('get', 'pod', 'x')).toMatch(/^x\s+0\/1\s+Pending\s+0\s+/m);
  });

  it('runs pods on simulated nodes, never on cordoned or tainted ones', async () => {
    await ok('cordon', 'sim-node-1');
    await ok('taint', 'nodes', 'sim-node-2', 'dedicated=gpu:NoSchedule');
    for (let i = 0; i < 4; i++) await kubectl(['apply', '-f', '-'], { input: podYaml(`web-${i}`, '64Mi') });
    const wide = await eventually(
      async () => {
        const out = await ok('get', 'pods', '-o', 'wide', '--no-headers');
        const rows = out.split('\n').filter((l) => l.startsWith('web-'));
        return rows.length === 4 && rows.every((r) => /\sRunning\s/.test(r)) && rows;
      },
      20_000,
      'web pods Running',
    );
    for (const row of wide) expect(row).toMatch(/\ssim-node-3\s/);
    const events = await ok('get', 'events', '--field-selector', 'involvedObject.name=web-0');
    expect(events).toMatch(
      /Normal\s+Scheduled\s+pod\/web-0\s+Successfully assigned default\/web-0 to sim-node-3/,
    );
  });
});
