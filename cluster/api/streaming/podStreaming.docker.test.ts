import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labels } from '../../agent/kubelet/containerLabels';
import { PodWorker } from '../../agent/kubelet/podWorker';
import { createKubeletServer, type KubeletServer } from '../../agent/kubeletApi/kubeletServer';
import { type ControlPlane, startControlPlane } from '../../controlPlane';
import { nullLogger } from '../../log';
import { issueCert } from '../../pki/certificates';
import { createDockerProvider } from '../../provisioner/providers/dockerProvider';
import { importBusyboxImage } from '../../provisioner/testImages';
import { createMemoryStore } from '../../store/memoryStore';
import { type Kubectl, kubectlRunner } from '../testing/kubectlRunner';
import { kubectlPath } from '../testing/kubeTools';

// The real kubectl against the API server's pod proxies, which reach an in-process kubelet API
// serving containers on the host's Docker engine, labelled as a pod's containers would be on a node.
// Run with `npx vitest run --project docker cluster/api/streaming`.

const runId = Math.random().toString(36).slice(2, 8);
const image = `kubedesk-test-busybox:${runId}`;
const nodeName = `stream-node-${runId}`;
const podName = 'web';
const docker = new Docker();
const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-streaming-'));
const home = mkdtempSync(join(tmpdir(), 'kubedesk-streaming-home-'));

let plane: ControlPlane;
let kubelet: KubeletServer;
let kubectl: Kubectl;
let kubeletPort = 0;
let podUid = '';

const appContainers: Record<string, { cmd: string[]; stdin?: boolean }> = {
  web: {
    cmd: [
      'sh',
      '-c',
      'mkdir -p /www && echo hello-from-pod > /www/index.html && head -c 1048576 /dev/zero > /www/big && ' +
        'echo web started && echo second line && ' +
        'exec httpd -f -p 8080 -h /www',
    ],
  },
  ticker: { cmd: ['sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done'] },
  echo: { cmd: ['cat'], stdin: true },
};

async function startContainer(name: string, options: Docker.ContainerCreateOptions): Promise<string> {
  const container = await docker.createContainer({
    Image: image,
    ...options,
    Labels: {
      [labels.podUid]: podUid,
      [labels.podName]: podName,
      [labels.podNamespace]: 'default',
      [labels.container]: name,
      [labels.attempt]: '0',
      [labels.kind]: name === 'POD' ? 'infra' : 'app',
    },
  });
  await container.start();
  return container.id;
}

async function removePodContainers(): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${labels.podUid}=${podUid}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true })));
}

/** A long-running kubectl (follow, port-forward) whose output can be awaited; the caller ends it. */
function startKubectl(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; until(re: RegExp): Promise<string> } {
  const child = spawn(kubectlPath(), ['--kubeconfig', plane.kubeconfigPath, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home, ...env },
  });
  let output = '';
  const waiters: Array<() => void> = [];
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.on('exit', () => {
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    child,
    async until(re) {
      for (;;) {
        const match = output.match(re);
        if (match) return match[0];
        if (child.exitCode !== null) throw new Error(`kubectl exited ${child.exitCode}: ${output}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  await importBusyboxImage(createDockerProvider(), image);
  plane = await startControlPlane({
    dataDir,
    store: createMemoryStore(),
    port: 0,
    kubeletLocator: async (node) =>
      node === nodeName ? { host: '127.0.0.1', port: kubeletPort } : undefined,
  });
  kubectl = kubectlRunner(plane.kubeconfigPath, home);
  const ca = { cert: plane.caCert, key: readFileSync(join(dataDir, 'pki', 'ca.key'), 'utf8') };
  const serving = await issueCert({
    ca,
    cn: nodeName,
    usage: 'server',
    sans: { dns: [nodeName, 'localhost'], ips: ['127.0.0.1'] },
    now: new Date(),
    validityDays: 1,
  });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(plane.kubeconfigPath);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const worker = new PodWorker({ docker, core, nodeName, hostIP: '127.0.0.1', log: nullLogger });
  kubelet = createKubeletServer({ docker, worker, caCert: plane.caCert, ...serving, log: nullLogger });
  kubeletPort = await kubelet.listen(0, '127.0.0.1');

  const pod = await core.createNamespacedPod({
    namespace: 'default',
    body: {
      metadata: { name: podName },
      spec: {
        nodeName,
        containers: Object.entries(appContainers).map(([name, c]) => ({
          name,
          image,
          command: c.cmd,
          ...(c.stdin ? { stdin: true, stdinOnce: true } : {}),
        })),
      },
    },
  });
  podUid = pod.metadata?.uid ?? '';
  const infra = await startContainer('POD', { Cmd: ['sleep', '3600'] });
  const ids: Record<string, string> = {};
  for (const [name, c] of Object.entries(appContainers)) {
    ids[name] = await startContainer(name, {
      Cmd: c.cmd,
      ...(c.stdin ? { OpenStdin: true, StdinOnce: true } : {}),
      HostConfig: { NetworkMode: `container:${infra}` },
    });
  }
  // What the kubelet would report; the API server judges from it whether logs exist yet.
  await core.replaceNamespacedPodStatus({
    name: podName,
    namespace: 'default',
    body: {
      ...pod,
      status: {
        phase: 'Running',
        containerStatuses: Object.keys(appContainers).map((name) => ({
          name,
          image,
          imageID: '',
          ready: true,
          restartCount: 0,
          containerID: `docker://${ids[name]}`,
          state: { running: { startedAt: new Date() } },
        })),
      },
    },
  });
  await core.createNamespacedPod({
    namespace: 'default',
    body: { metadata: { name: 'unscheduled' }, spec: { containers: [{ name: 'app', image }] } },
  });
}, 120_000);

afterAll(async () => {
  if (podUid) await removePodContainers();
  await kubelet?.close();
  await plane?.stop();
  await docker
    .getImage(image)
    .remove({ force: true })
    .catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('kubectl logs', () => {
  it('prints a container log, its tail and a byte limit', async () => {
    const all = await kubectl(['logs', podName, '-c', 'web']);
    expect(all).toMatchObject({ code: 0, stdout: 'web started\nsecond line\n' });
    expect((await kubectl(['logs', podName, '-c', 'web', '--tail=1'])).stdout).toBe('second line\n');
    expect((await kubectl(['logs', podName, '-c', 'web', '--limit-bytes=5'])).stdout).toBe('web s');
    const stamped = await kubectl(['logs', podName, '-c', 'web', '--timestamps']);
    expect(stamped.stdout).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z web started\n/);
  });

  it('follows a log as it grows', async () => {
    const follow = startKubectl(['logs', '-f', podName, '-c', 'ticker', '--tail=1']);
    try {
      const first = await follow.until(/tick (\d+)\n/);
      const n = Number(first.match(/\d+/)?.[0]);
      await follow.until(new RegExp(`tick ${n + 2}\\n`));
    } finally {
      follow.child.kill();
    }
  });

  it('answers with the apiserver messages for bad requests', async () => {
    const wrong = await kubectl(['logs', podName, '-c', 'nope']);
    expect(wrong.stderr).toContain('container nope is not valid for pod web');
    const previous = await kubectl(['logs', podName, '-c', 'web', '--previous']);
    expect(previous.stderr).toContain('previous terminated container "web" in pod "web" not found');
    const missing = await kubectl(['logs', 'ghost']);
    expect(missing.stderr).toContain('pods "ghost" not found');
  });
});

describe('kubectl exec and attach', () => {
  it('runs a command and returns its output', async () => {
    expect(await kubectl(['exec', podName, '-c', 'web', '--', 'sh', '-c', 'echo hi'])).toMatchObject({
      code: 0,
      stdout: 'hi\n',
    });
  });

  it('passes the exit code and stderr through', async () => {
    const result = await kubectl(['exec', podName, '-c', 'web', '--', 'sh', '-c', 'echo oops >&2; exit 3']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('oops');
  });

  it('feeds stdin with -i and ends it when kubectl input ends', async () => {
    const result = await kubectl(['exec', '-i', podName, '-c', 'web', '--', 'sh', '-c', 'wc -c; echo done'], {
      input: 'twelve bytes',
    });
    expect(result).toMatchObject({ code: 0, stdout: '12\ndone\n' });
  });

  it('attaches to a running container with stdin', async () => {
    const result = await kubectl(['attach', '-i', podName, '-c', 'echo'], { input: 'ping\n' });
    expect(result.stdout).toContain('ping');
  });

  it('refuses a pod without a node the way Kubernetes does', async () => {
    const result = await kubectl(['exec', 'unscheduled', '--', 'true']);
    expect(result.stderr).toContain('pod unscheduled does not have a host assigned');
    expect(result.code).not.toBe(0);
  });
});

describe('kubectl port-forward', () => {
  const forwardAndFetch = async (env: Record<string, string>) => {
    const forward = startKubectl(['port-forward', `pod/${podName}`, ':8080'], env);
    try {
      const line = await forward.until(/Forwarding from 127\.0\.0\.1:(\d+) -> 8080/);
      const port = Number(line.match(/:(\d+) ->/)?.[1]);
      const first = await httpGet(port, '/index.html');
      const second = await httpGet(port, '/index.html');
      const missing = await httpGet(port, '/nothing');
      const big = await httpGet(port, '/big');
      return { first, second, missing, big };
    } finally {
      forward.child.kill();
    }
  };

  it('reaches the pod port through SPDY tunnelled in a WebSocket', async () => {
    const { first, second, missing, big } = await forwardAndFetch({});
    expect(first).toEqual({ status: 200, body: 'hello-from-pod\n' });
    expect(second.body).toBe('hello-from-pod\n');
    expect(missing.status).toBe(404);
    // Far beyond SPDY's initial 64 KiB window.
    expect(big.body.length).toBe(1_048_576);
  });

  it('reaches the pod port over plain SPDY when WebSockets are turned off', async () => {
    const { first } = await forwardAndFetch({ KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    expect(first).toEqual({ status: 200, body: 'hello-from-pod\n' });
  });
});
