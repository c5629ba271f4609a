import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { kubeConfigFor } from '../../cluster/agent/credentials';
import { nullLogger } from '../../cluster/log';
import { engineError } from '../../cluster/provisioner/providers/engineErrors';
import { createFakeProvider, type FakeProvider } from '../../cluster/provisioner/providers/fakeProvider';
import type { NodeHandle } from '../../cluster/provisioner/providers/nodeProvider';
import { type ClusterManager, createClusterManager } from './clusterManager';
import type { ClusterStatus } from './contract';
import { openConfSettings } from './settingsStore';

// The cluster manager over the in-memory node provider and a real control plane. A stand-in agent
// answers `kubedesk-agent restart` by registering its Node with exactly the credentials the manager
// put into the node, so a node only gets Ready when those credentials work.

const image = 'kubedesk-node:test';
const cluster = 'kdtest';

function standInAgent(provider: FakeProvider, registered: string[], failures: string[]) {
  const register = async (node: NodeHandle) => {
    const files = provider.files.get(node.name) ?? new Map<string, Buffer>();
    const read = (name: string) => files.get(`/kubedesk/credentials/${name}`)?.toString() ?? '';
    // Inside a node `host.docker.internal` is the host; here the host is this process.
    const server = read('server').replace('host.docker.internal', '127.0.0.1');
    const core = kubeConfigFor(
      { server, ca: read('ca.crt'), clientCert: read('client.crt'), clientKey: read('client.key') },
      node.name,
    ).makeApiClient(CoreV1Api);
    await core.createNode({ body: { metadata: { name: node.name } } }).catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
    // Controllers may write the Node between our read and write; retry on conflict as a kubelet does.
    for (let attempt = 1; ; attempt += 1) {
      const current = await core.readNode({ name: node.name });
      const now = new Date();
      const ready = { type: 'Ready', status: 'True', lastHeartbeatTime: now, lastTransitionTime: now };
      try {
        await core.replaceNodeStatus({
          name: node.name,
          body: { ...current, status: { conditions: [ready] } },
        });
        break;
      } catch (err) {
        if ((err as { code?: number }).code !== 409 || attempt >= 5) throw err;
      }
    }
    registered.push(node.name);
  };
  provider.setExecHandler((node, argv) => {
    // A real agent retries; this one gives up when the control plane is gone (a failed start).
    if (argv.join(' ') === '/usr/local/bin/kubedesk-agent restart')
      void register(node).catch((err: Error) => failures.push(`${node.name}: ${err.message}`));
    return { exitCode: 0, stdout: '', stderr: '' };
  });
}

function setup(options: { nodeCount?: number } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-manager-'));
  const settings = openConfSettings(dataDir);
  if (options.nodeCount) settings.update({ nodeCount: options.nodeCount });
  const provider = createFakeProvider();
  provider.images.set(image, { id: 'sha256:node', labels: {} });
  const registered: string[] = [];
  const agentFailures: string[] = [];
  standInAgent(provider, registered, agentFailures);
  const bundle = join(dataDir, 'agent.cjs');
  writeFileSync(bundle, '// agent');
  const manager = createClusterManager({
    dataDir,
    log: nullLogger,
    settings,
    userKubeconfigPath: join(dataDir, 'user-kubeconfig'),
    nodeProvider: provider,
    clusterName: cluster,
    // The fake network's gateway is no address of this machine: nodes reach the host "as on Docker Desktop".
    provisioner: { nodeImage: async () => image, hostAlias: 'engine', readyIntervalMs: 1 },
    agentBundle: async () => bundle,
  });
  const statuses: ClusterStatus[] = [];
  manager.onChange((status) => statuses.push(status));
  return { manager, provider, registered, agentFailures, statuses };
}

const withManager = async (manager: ClusterManager, work: () => Promise<void>) => {
  try {
    await work();
  } finally {
    await manager.stop();
  }
};

describe('cluster manager with real nodes', () => {
  it('starts the control plane and the nodes, publishing each step and the count of Ready nodes', async () => {
    const { manager, provider, registered, agentFailures, statuses } = setup();
    await withManager(manager, async () => {
      await manager.start({ store: { kind: 'sqlite' }, apiPort: 0, nodes: 3 });
      expect(agentFailures).toEqual([]);
      expect(manager.current()).toMatchObject({ state: 'running', nodes: 3 });
      expect(manager.current().message).toMatch(/; 3 nodes Ready \(capabilities containers\)$/);
      expect(registered.sort()).toEqual([`${cluster}-node-1`, `${cluster}-node-2`, `${cluster}-node-3`]);
      const messages = statuses.map((s) => s.message);
      expect(messages).toContain(`create node ${cluster}-node-2: done`);
      expect(messages).toContain(`start the agent on ${cluster}-node-3: done`);
      expect(messages).toContain(`wait for ${cluster}-node-1 to be Ready: done`);
      const counts = statuses.filter((s) => s.state === 'starting').map((s) => s.nodes);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect([...(provider.files.get(`${cluster}-node-1`)?.keys() ?? [])]).toContain(
        '/kubedesk/agent/agent.js',
      );
    });
  });

  it('stops the nodes without removing them and starts the same nodes again', async () => {
    const { manager, provider } = setup();
    const agentRestarts = () =>
      provider.execs.filter((e) => e.argv.join(' ') === '/usr/local/bin/kubedesk-agent restart').length;
    await withManager(manager, async () => {
      await manager.start({ store: { kind: 'sqlite' }, apiPort: 0, nodes: 2 });
      const ids = [...provider.nodes.values()].map((n) => n.id).sort();
      await manager.stop();
      expect(manager.current()).toMatchObject({ state: 'stopped', nodes: 0 });
      expect([...provider.nodes.values()].map((n) => n.running)).toEqual([false, false]);

      await manager.start({ store: { kind: 'sqlite' }, apiPort: 0, nodes: 2 });
      expect(manager.current()).toMatchObject({ state: 'running', nodes: 2 });
      expect([...provider.nodes.values()].map((n) => n.id).sort()).toEqual(ids);
      // Each node's agent got fresh credentials (the API port may have changed) and was restarted.
      expect(agentRestarts()).toBe(4);
    });
  });

  it('adds nodes up to the count asked for, never removing any', async () => {
    const { manager, provider } = setup();
    await withManager(manager, async () => {
      await manager.start({ store: { kind: 'sqlite' }, apiPort: 0, nodes: 1 });
      await manager.stop();
      await manager.start({ store: { kind: 'sqlite' }, apiPort: 0, nodes: 3 });
      expect(manager.current().nodes).toBe(3);
      await manager.stop();
      await manager.start({ store: { kind: 'sqlite' }, apiPort: 0, nodes: 2 });
      expect(manager.current().nodes).toBe(3);
      expect([...provider.nodes.keys()].sort()).toHaveLength(3);
    });
  });

  it('fails naming the step and the engine error, and leaves no node running', async () => {
    const { manager, provider } = setup();
    provider.failNext('putArchive', engineError(500, 'no space left on device'), `${cluster}-node-2`);
    await expect(manager.start({ store: { kind: 'sqlite' }, apiPort: 0, nodes: 2 })).rejects.toThrow(
      /start the agent on kdtest-node-2: \(HTTP code 500\) no space left on device/,
    );
    expect(manager.current().state).toBe('error');
    expect(manager.current().message).toContain(`start the agent on ${cluster}-node-2`);
    expect([...provider.nodes.values()].some((n) => n.running)).toBe(false);
    expect(manager.kubeconfigPath()).toBeUndefined();
    // Turning Kubernetes off then clears the error.
    await manager.stop();
    expect(manager.current().state).toBe('stopped');
  });

  it('starts as many nodes as the node-count setting says when the app starts the cluster', () => {
    const { manager } = setup({ nodeCount: 5 });
    expect(manager.defaultStartOptions()).toEqual({ store: { kind: 'sqlite' }, nodes: 5 });
  });

  it('runs the control plane alone with no nodes, without touching the engine', async () => {
    const { manager, provider } = setup();
    await withManager(manager, async () => {
      await manager.start({ store: { kind: 'sqlite' }, apiPort: 0 });
      expect(manager.current()).toMatchObject({ state: 'running', nodes: 0 });
      expect(provider.networks.size).toBe(0);
    });
  });
});
