import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNode, createCluster, deleteCluster, removeNode, startCluster, stopCluster } from './cluster';
import { checkExec } from './execError';
import { installAgent } from './installAgent';
import { labelKeys } from './labels';
import { ensureNodeImage } from './nodeImage';
import { networkCandidates } from './planNodes';
import { createDockerProvider } from './providers/dockerProvider';
import type { NodeHandle } from './providers/nodeProvider';
import { sideloadImage } from './sideloadImage';
import type { Progress } from './steps';
import { importBusyboxImage } from './testImages';

// Real engine: run with `npx vitest run --project docker cluster/provisioner`.

const runId = Math.random().toString(36).slice(2, 8);
const cluster = `kdtest-${runId}`;
const testImage = `kubedesk-test-busybox:${runId}`;
const provider = createDockerProvider();
const { docker } = provider;

const sh = async (node: NodeHandle, script: string) =>
  checkExec(['sh', '-c', script], await provider.exec(node, ['sh', '-c', script])).stdout.trim();

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  await importBusyboxImage(provider, testImage);
}, 600_000);

afterAll(async () => {
  await deleteCluster(cluster, { provider });
  await docker.getImage(testImage).remove({ force: true });
});

describe('node image', () => {
  it('is built once and then found by its recipe hash', async () => {
    const progress: string[] = [];
    const first = await ensureNodeImage({ provider, report: (u) => u.detail && progress.push(u.detail) });
    const again = await ensureNodeImage({ provider });
    expect(again).toEqual({ tag: first.tag, source: first.source, built: false });
    const info = await provider.inspectImage(first.tag);
    expect(info?.labels[labelKeys.recipe]?.slice(0, 12)).toBe(first.tag.split(':')[1]);
  });
});

describe('ensureNetwork', () => {
  it('creates one network when called 10 times at once', async () => {
    const name = `kdtest-net-${runId}`;
    const spec = { name, cluster: `kdtest-net-${runId}`, candidateSubnets: networkCandidates() };
    try {
      const results = await Promise.all(Array.from({ length: 10 }, () => provider.ensureNetwork(spec)));
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      const found = (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);
      expect(found.map((n) => n.Id)).toEqual([results[0]?.id]);
      // A second provider (another app process) sees the same network.
      expect((await createDockerProvider().ensureNetwork(spec)).id).toBe(results[0]?.id);
    } finally {
      await provider.removeNetwork(name);
    }
  });
});

describe('cluster networks', () => {
  it('puts a second cluster on a subnet that does not overlap the first', async () => {
    const spec = (name: string) => ({ name, cluster: name, candidateSubnets: networkCandidates() });
    const [a, b] = [`kdtest-a-${runId}`, `kdtest-b-${runId}`];
    try {
      const first = await provider.ensureNetwork(spec(a));
      const second = await provider.ensureNetwork(spec(b));
      expect(second.subnet).not.toBe(first.subnet);
      await expect(provider.ensureNetwork({ ...spec(a), cluster: 'someone-else' })).rejects.toThrow(
        /does not belong to cluster someone-else/,
      );
    } finally {
      await provider.removeNetwork(a);
      await provider.removeNetwork(b);
    }
  });
});

describe('a 2-node cluster', () => {
  let nodes: NodeHandle[] = [];

  it('creates nodes whose own dockerd answers, with progress per node', async () => {
    const progress: Progress[] = [];
    const state = await createCluster(
      { name: cluster, nodes: 2 },
      { provider, onProgress: (p) => progress.push(p) },
    );
    nodes = state.nodes;
    expect(nodes.map((n) => n.name)).toEqual([`${cluster}-node-1`, `${cluster}-node-2`]);
    expect(['privileged', 'capabilities']).toContain(state.securityMode);
    for (const node of nodes) {
      expect(await sh(node, 'docker info --format "{{.ServerVersion}}"')).toMatch(/^\d+\.\d+/);
      expect(await sh(node, 'hostname')).toBe(node.name);
      expect(await sh(node, "ip -4 -o addr show docker0 | awk '{print $4}'")).toBe(
        `10.244.${node.index}.1/24`,
      );
      expect(await sh(node, 'getent hosts host.docker.internal')).toContain(state.network.gateway);
      expect(node.kubeletHostPort).toBeGreaterThan(0);
    }
    const done = progress.filter((p) => p.state === 'done').map((p) => p.step);
    expect(done).toEqual(
      expect.arrayContaining([`create node ${cluster}-node-1`, `create node ${cluster}-node-2`]),
    );
  });

  it('sideloads a host image once per node', async () => {
    const [first] = nodes;
    if (!first) throw new Error('no nodes');
    const loaded = await sideloadImage(provider, first, testImage);
    expect(loaded.loaded).toBe(true);
    expect(loaded.bytes).toBeGreaterThan(1_000_000);
    expect((await sideloadImage(provider, first, testImage)).loaded).toBe(false);
    expect(await sh(first, `docker image inspect --format '{{.Id}}' ${testImage}`)).toBe(loaded.imageId);
    const [, second] = nodes;
    if (second) expect((await sideloadImage(provider, second, testImage)).loaded).toBe(true);
  });

  // busybox's static wget crashes without NSS files; nc speaks enough HTTP/1.0.
  const httpGet = (node: NodeHandle, ip: string) =>
    provider.exec(node, [
      'docker',
      'exec',
      'client',
      'sh',
      '-c',
      `printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 5 ${ip} 8080`,
    ]);
  const podIp = (node: NodeHandle, pod: string) =>
    sh(node, `docker inspect --format '{{.NetworkSettings.IPAddress}}' ${pod}`);

  it('reaches a pod on the other node by its pod IP, unmasqueraded', async () => {
    const [a, b] = nodes;
    if (!a || !b) throw new Error('no nodes');
    await sh(a, `docker run -d --restart always --name client ${testImage} sleep 3600`);
    await sh(
      b,
      `docker run -d --restart always --name server ${testImage} sh -c 'mkdir -p /www && echo hello > /www/index.html && httpd -f -v -p 8080 -h /www'`,
    );
    const clientIp = await podIp(a, 'client');
    const serverIp = await podIp(b, 'server');
    expect(clientIp).toMatch(/^10\.244\.1\./);
    expect(serverIp).toMatch(/^10\.244\.2\./);
    const response = await httpGet(a, serverIp);
    expect(response.stdout).toMatch(/200 OK[\s\S]*hello/);
    await sh(a, `docker exec client ping -c 1 -W 2 ${serverIp}`);
    // httpd -v logs the peer address: the client pod's own IP, not node A's.
    const log = await sh(b, 'docker logs server 2>&1');
    expect(log).toContain(clientIp);
  });

  it('delivers the agent and credentials and restarts the agent in place', async () => {
    const [a] = nodes;
    if (!a) throw new Error('no nodes');
    const dir = mkdtempSync(join(tmpdir(), 'kubedesk-agent-'));
    const bundlePath = join(dir, 'agent.js');
    writeFileSync(
      bundlePath,
      "require('fs').writeFileSync('/kubedesk/started', String(process.pid) + ' ' + require('fs').readFileSync('/kubedesk/credentials/token', 'utf8')); setInterval(() => {}, 1000);",
    );
    const started = () =>
      until(async () => {
        const result = await provider.exec(a, ['cat', '/kubedesk/started']);
        return result.exitCode === 0 && result.stdout ? result.stdout : undefined;
      }, 'the agent to start');
    await installAgent(provider, a, {
      bundlePath,
      files: { 'credentials/token': 'token-1', 'credentials/ca.crt': 'CA' },
    });
    const first = await started();
    expect(first).toMatch(/^\d+ token-1$/);
    expect(await sh(a, 'stat -c %a /kubedesk/credentials/token')).toBe('600');
    expect(await sh(a, 'cat /kubedesk/credentials/ca.crt')).toBe('CA');
    await sh(a, 'rm /kubedesk/started');
    await installAgent(provider, a, { bundlePath, files: { 'credentials/token': 'token-2' } });
    const second = await started();
    expect(second).toMatch(/ token-2$/);
    expect(second.split(' ')[0]).not.toBe(first.split(' ')[0]);
    expect((await provider.listNodes(cluster)).find((n) => n.name === a.name)?.id).toBe(a.id);
  });

  it('keeps images and containers across stop and start, and restores the pod network', async () => {
    await stopCluster(cluster, { provider });
    expect((await provider.listNodes(cluster)).every((n) => !n.running)).toBe(true);
    const state = await startCluster(cluster, { provider });
    const [a, b] = state.nodes;
    if (!a || !b) throw new Error('no nodes');
    expect(state.nodes.map((n) => n.id)).toEqual(nodes.map((n) => n.id));
    expect(await sh(a, `docker image inspect --format '{{.Id}}' ${testImage}`)).toMatch(/^sha256:/);
    // The agent comes back with the node, started by the entrypoint.
    expect(await sh(a, 'kubedesk-agent status')).toMatch(/^running /);
    const serverIp = await until(
      async () => (await podIp(b, 'server')) || undefined,
      'the server pod to restart',
    );
    const answer = await until(async () => {
      const r = await httpGet(a, serverIp);
      return r.stdout.includes('hello') ? r.stdout.trim().split('\n').at(-1) : undefined;
    }, 'the server pod to answer after restart');
    expect(answer).toBe('hello');
  });

  it('adds a node whose pods the others reach, and removes it with its volume and routes', async () => {
    const [a] = nodes;
    if (!a) throw new Error('no nodes');
    const added = await addNode(cluster, { provider });
    expect(added).toMatchObject({ name: `${cluster}-node-3`, podCidr: '10.244.3.0/24' });
    await sideloadImage(provider, added, testImage);
    await sh(
      added,
      `docker run -d --name server ${testImage} sh -c 'mkdir -p /www && echo three > /www/index.html && httpd -f -p 8080 -h /www'`,
    );
    const serverIp = await podIp(added, 'server');
    expect(serverIp).toMatch(/^10\.244\.3\./);
    await until(
      async () => ((await httpGet(a, serverIp)).stdout.includes('three') ? true : undefined),
      'the new node pod',
    );
    await removeNode(cluster, added.name, { provider });
    expect((await provider.listNodes(cluster)).map((n) => n.name)).toEqual(nodes.map((n) => n.name));
    expect(await sh(a, 'ip route')).not.toContain('10.244.3.0/24');
    expect((await docker.listVolumes({ filters: { name: [added.volume] } })).Volumes ?? []).toEqual([]);
  });

  it('removes containers, volumes and the network on delete', async () => {
    await deleteCluster(cluster, { provider });
    const label = `${labelKeys.cluster}=${cluster}`;
    expect(await docker.listContainers({ all: true, filters: { label: [label] } })).toEqual([]);
    expect((await docker.listVolumes({ filters: { label: [label] } })).Volumes ?? []).toEqual([]);
    expect((await docker.listNetworks({ filters: { label: [label] } })).length).toBe(0);
  });
});
