import { describe, expect, it } from 'vitest';
import {
  addNode,
  createCluster,
  deleteCluster,
  loadImage,
  type ProvisionerOptions,
  removeNode,
  startCluster,
  stopCluster,
} from './cluster';
import { engineError } from './providers/engineErrors';
import { createFakeProvider, type FakeProvider } from './providers/fakeProvider';
import type { Progress } from './steps';

const image = 'kubedesk-node:test';

function setup() {
  const provider = createFakeProvider();
  provider.images.set(image, { id: 'sha256:node', labels: {} });
  const progress: Progress[] = [];
  const options: ProvisionerOptions = {
    provider,
    nodeImage: async () => image,
    hostAlias: 'network-gateway',
    readyIntervalMs: 1,
    onProgress: (p) => progress.push(p),
  };
  return { provider, options, progress };
}

const routeCommands = (provider: FakeProvider, node: string) =>
  provider.execs.filter((e) => e.node === node && e.argv[0] === 'sh').map((e) => e.argv[2] ?? '');

describe('createCluster', () => {
  it('creates the network and N nodes, waits for their dockerd and wires the pod network', async () => {
    const { provider, options, progress } = setup();
    const state = await createCluster({ nodes: 3 }, options);
    expect(state.nodes.map((n) => [n.name, n.ip, n.podCidr])).toEqual([
      ['kubedesk-node-1', '172.30.0.11', '10.244.1.0/24'],
      ['kubedesk-node-2', '172.30.0.12', '10.244.2.0/24'],
      ['kubedesk-node-3', '172.30.0.13', '10.244.3.0/24'],
    ]);
    expect(state).toMatchObject({ name: 'kubedesk', image, securityMode: 'capabilities' });
    expect([...provider.networks.keys()]).toEqual(['kubedesk-net']);
    expect(provider.execs.filter((e) => e.argv.join(' ').startsWith('docker version')).length).toBe(3);
    expect(routeCommands(provider, 'kubedesk-node-3')[0]).toContain(
      'ip route replace 10.244.1.0/24 via 172.30.0.11',
    );
    const steps = progress.filter((p) => p.state === 'done').map((p) => p.step);
    expect(steps).toEqual(
      expect.arrayContaining([
        'create network kubedesk-net',
        'prepare node image',
        'create node kubedesk-node-2',
        'configure pod network',
      ]),
    );
    expect(new Set(progress.map((p) => p.total))).toEqual(new Set([7]));
  });

  it('removes what it made and names the node and the engine error when a node fails', async () => {
    const { provider, options } = setup();
    provider.failNext('createNode', engineError(500, 'failed to create shim task'), 'k-node-2');
    const err = await createCluster({ name: 'k', nodes: 2 }, options).catch((e: unknown) => e);
    expect(String(err)).toContain(
      'create cluster k: create node k-node-2: (HTTP code 500) failed to create shim task',
    );
    expect(err).toMatchObject({ step: 'create node k-node-2', code: 'InternalError' });
    expect(provider.nodes.size).toBe(0);
    expect(provider.networks.size).toBe(0);
  });

  it('keeps the partial cluster with keepOnFailure', async () => {
    const { provider, options } = setup();
    provider.failNext('createNode', engineError(500, 'boom'), 'k-node-2');
    await expect(createCluster({ name: 'k', nodes: 2 }, { ...options, keepOnFailure: true })).rejects.toThrow(
      /boom/,
    );
    expect([...provider.nodes.keys()]).toEqual(['k-node-1']);
  });

  it('refuses to create a cluster that exists', async () => {
    const { options } = setup();
    await createCluster({ name: 'k', nodes: 1 }, options);
    await expect(createCluster({ name: 'k', nodes: 1 }, options)).rejects.toThrow(/already exists/);
  });

  it('fails the node step when its dockerd never answers', async () => {
    const { provider, options } = setup();
    provider.setExecHandler(() => ({
      exitCode: 1,
      stdout: '',
      stderr: 'Cannot connect to the Docker daemon',
    }));
    await expect(createCluster({ name: 'k', nodes: 1 }, { ...options, readyTimeoutMs: 20 })).rejects.toThrow(
      /create node k-node-1: dockerd in node k-node-1 did not answer within 0.02 s: Cannot connect/,
    );
    expect(provider.nodes.size).toBe(0);
  });

  it('shows the node output when a node stops while starting', async () => {
    const { provider, options } = setup();
    provider.setExecHandler((node) => {
      const current = provider.nodes.get(node.name);
      if (current) current.running = false;
      throw engineError(409, 'Container is not running');
    });
    provider.logs.set(
      'k-node-1',
      "kubedesk node: dockerd exited during start:\nfailed to start daemon: Devices cgroup isn't mounted",
    );
    await expect(createCluster({ name: 'k', nodes: 1 }, options)).rejects.toThrow(
      /create node k-node-1: node k-node-1 stopped while starting:\nkubedesk node: dockerd exited during start:\nfailed to start daemon: Devices cgroup/,
    );
  });
});

describe('loadImage', () => {
  it('runs one progress step per running node', async () => {
    const { provider, options, progress } = setup();
    provider.images.set('app:1', { id: 'sha256:app', labels: {} });
    await createCluster({ name: 'k', nodes: 2 }, options);
    provider.setExecHandler((_node, argv) =>
      argv[1] === 'image'
        ? { exitCode: 1, stdout: '', stderr: 'No such image' }
        : { exitCode: 0, stdout: '', stderr: '' },
    );
    progress.length = 0;
    const results = await loadImage('k', 'app:1', options);
    expect(Object.keys(results).sort()).toEqual(['k-node-1', 'k-node-2']);
    expect(results['k-node-1']).toMatchObject({ loaded: true, imageId: 'sha256:app' });
    expect(
      progress
        .filter((p) => p.state === 'done')
        .map((p) => p.step)
        .sort(),
    ).toEqual(['load app:1 into k-node-1', 'load app:1 into k-node-2']);
  });
});

describe('stop, start and delete', () => {
  it('stops nodes keeping them, starts the same nodes and re-applies routes', async () => {
    const { provider, options } = setup();
    const created = await createCluster({ name: 'k', nodes: 2 }, options);
    await stopCluster('k', options);
    expect([...provider.nodes.values()].map((n) => n.running)).toEqual([false, false]);
    provider.execs.length = 0;
    const started = await startCluster('k', options);
    expect(started.nodes.map((n) => n.id)).toEqual(created.nodes.map((n) => n.id));
    expect(started.nodes.every((n) => n.running)).toBe(true);
    expect(routeCommands(provider, 'k-node-1')[0]).toContain(
      'ip route replace 10.244.2.0/24 via 172.30.0.12',
    );
    expect(started.image).toBe(image);
  });

  it('start fails for a cluster that has no nodes', async () => {
    const { options } = setup();
    await expect(startCluster('none', options)).rejects.toThrow(/cluster none has no nodes/);
  });

  it('delete removes containers, volumes and the network', async () => {
    const { provider, options } = setup();
    await createCluster({ name: 'k', nodes: 2 }, options);
    provider.volumes.add('k-node-9-docker');
    await deleteCluster('k', options);
    expect(provider.nodes.size).toBe(0);
    expect(provider.volumes.size).toBe(0);
    expect(provider.networks.size).toBe(0);
  });
});

describe('addNode and removeNode', () => {
  it('adds a node at the lowest free index and updates every node routes', async () => {
    const { provider, options } = setup();
    await createCluster({ name: 'k', nodes: 3 }, options);
    await removeNode('k', 'k-node-2', options);
    expect([...provider.nodes.keys()]).toEqual(['k-node-1', 'k-node-3']);
    const last = routeCommands(provider, 'k-node-1').at(-1) ?? '';
    expect(last).not.toContain('via 172.30.0.12');
    const added = await addNode('k', options);
    expect(added).toMatchObject({ name: 'k-node-2', podCidr: '10.244.2.0/24', ip: '172.30.0.12' });
    expect(routeCommands(provider, 'k-node-3').at(-1)).toContain(
      'ip route replace 10.244.2.0/24 via 172.30.0.12',
    );
  });

  it('refuses to remove a node of another cluster', async () => {
    const { options } = setup();
    await createCluster({ name: 'k', nodes: 1 }, options);
    await expect(removeNode('k', 'other-node-1', options)).rejects.toThrow(/not part of cluster k/);
  });
});
