import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlRunner } from '../cluster/api/testing/kubectlRunner';
import { clusterNameFor } from '../cluster/provisioner/clusterName';
import { labelKeys } from '../cluster/provisioner/labels';
import { createDockerProvider } from '../cluster/provisioner/providers/dockerProvider';
import { importBusyboxImage } from '../cluster/provisioner/testImages';
import { kubectlJson, until } from './support/kubectlSessions';
import { deleteInstallation, kubedeskCli } from './support/kubedeskCli';

// Real nodes from the command line, checked with the real kubectl: `kubedesk start --nodes 3`,
// a pod bound to a node, stop and start, node add and remove, image load and delete. The pod names
// its node itself (spec.nodeName), so no scheduler is involved.

const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-nodes-'));
const cli = kubedeskCli(dataDir);
const cluster = clusterNameFor(dataDir);
const node = (index: number) => `${cluster}-node-${index}`;
const image = `kubedesk-test-busybox:${cluster}`;
const provider = createDockerProvider();
const startArgs = ['start', '--nodes', '3', '--api-port', '0'];
let kubectl: Kubectl;

const podManifest = `
apiVersion: v1
kind: Pod
metadata: { name: sleeper, namespace: default }
spec:
  nodeName: ${node(2)}
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: ${image}
      imagePullPolicy: Never
      command: [sh, -c, 'echo started; exec sleep 100000']
`;

const getJson = <T>(args: string[]) => kubectlJson<T>(kubectl, args);

const readyNodes = async () =>
  (await getJson<{ items: V1Node[] }>(['get', 'nodes'])).items
    .filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((n) => n.metadata?.name)
    .sort();

const runningPod = () =>
  until(async () => {
    const pod = await getJson<V1Pod>(['get', 'pod', 'sleeper']);
    return pod.status?.phase === 'Running' && pod.status.containerStatuses?.[0]?.ready ? pod : undefined;
  }, 'pod sleeper to be Running');

const clusterContainers = async () =>
  (
    await provider.docker.listContainers({
      all: true,
      filters: { label: [`${labelKeys.cluster}=${cluster}`] },
    })
  )
    .map((c) => ({ name: c.Names[0]?.slice(1), id: c.Id, state: c.State }))
    .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));

beforeAll(async () => {
  await importBusyboxImage(provider, image);
  kubectl = kubectlRunner(join(dataDir, 'kubeconfig'), mkdtempSync(join(tmpdir(), 'kubedesk-home-')));
});

afterAll(async () => {
  // Whatever a failed test left: the host, node containers, volumes, network.
  await deleteInstallation(dataDir, [image]);
});

describe('real nodes from the command line', () => {
  it('starts three nodes that kubectl shows Ready, and says how the node containers run', async () => {
    const start = await cli(startArgs, 600_000);
    expect(start.stderr).toBe('');
    expect(start.code).toBe(0);
    // Steps per node as the host published them (the CLI may skip some that pass between its polls).
    expect(start.stdout).toMatch(new RegExp(`(create node|start the agent on|wait for) ${cluster}-node-\\d`));
    expect(start.stdout).toMatch(/3 nodes Ready \((privileged|capabilities) containers\)/);
    process.stdout.write(`node containers: ${/\((\w+) containers\)/.exec(start.stdout)?.[1]}\n`);
    expect(await readyNodes()).toEqual([node(1), node(2), node(3)]);
    const status = JSON.parse((await cli(['status', '-o', 'json'])).stdout);
    expect(status.cluster).toMatchObject({ state: 'running', nodes: 3 });
  });

  it('loads a host image into every node and runs a pod on the node it names', async () => {
    const load = await cli(['image', 'load', image]);
    expect(load.code).toBe(0);
    for (const i of [1, 2, 3]) expect(load.stdout).toContain(`${image} → ${node(i)}: loaded`);
    expect((await kubectl(['apply', '-f', '-'], { input: podManifest })).stdout).toContain(
      'pod/sleeper created',
    );
    const pod = await runningPod();
    expect(pod.spec?.nodeName).toBe(node(2));
    expect(pod.status?.podIP).toMatch(/^10\.244\.2\.\d+$/);
    expect((await kubectl(['get', 'pod', 'sleeper'])).stdout).toMatch(/sleeper\s+1\/1\s+Running/);
  });

  it('stops the nodes keeping them, and brings the same nodes and pod back on start', async () => {
    const before = await clusterContainers();
    const podBefore = await getJson<V1Pod>(['get', 'pod', 'sleeper']);
    expect((await cli(['stop'])).stdout).toContain('Kubedesk stopped');
    const stopped = await clusterContainers();
    expect(stopped.map((c) => [c.id, c.state])).toEqual(before.map((c) => [c.id, 'exited']));

    const start = await cli(startArgs, 300_000);
    expect(start.code).toBe(0);
    expect((await clusterContainers()).map((c) => [c.id, c.state])).toEqual(
      before.map((c) => [c.id, 'running']),
    );
    expect(await readyNodes()).toEqual([node(1), node(2), node(3)]);
    const pod = await runningPod();
    expect(pod.metadata?.uid).toBe(podBefore.metadata?.uid);
    expect(pod.status?.podIP).toMatch(/^10\.244\.2\.\d+$/);
  });

  it('adds a node, and removes one after deleting its pods', async () => {
    const add = await cli(['node', 'add']);
    expect(add.stderr).toBe('');
    expect(add.stdout).toContain(`node ${node(4)} is Ready`);
    expect(await readyNodes()).toEqual([node(1), node(2), node(3), node(4)]);

    const remove = await cli(['node', 'remove', node(2)]);
    expect(remove.stderr).toBe('');
    expect(remove.stdout).toContain(`node ${node(2)} drained (1 pod deleted)`);
    expect((await kubectl(['get', 'pod', 'sleeper'])).stderr).toContain('NotFound');
    expect((await kubectl(['get', 'nodes', '-o', 'name'])).stdout.split('\n').filter(Boolean)).toEqual([
      `node/${node(1)}`,
      `node/${node(3)}`,
      `node/${node(4)}`,
    ]);
    expect((await clusterContainers()).map((c) => c.name)).toEqual([node(1), node(3), node(4)]);
  });

  it('deletes the cluster: containers, volumes, network and cluster state', async () => {
    const result = await cli(['delete']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`cluster ${cluster} deleted`);
    expect(await clusterContainers()).toEqual([]);
    const { Volumes } = await provider.docker.listVolumes({
      filters: { label: [`${labelKeys.cluster}=${cluster}`] },
    });
    expect(Volumes ?? []).toEqual([]);
    expect((await provider.docker.listNetworks()).map((n) => n.Name)).not.toContain(`${cluster}-net`);
    for (const path of ['store', 'pki', 'kubeconfig']) expect(existsSync(join(dataDir, path))).toBe(false);
    expect((await cli(['status'])).stdout).toContain('stopped');
  });
});
