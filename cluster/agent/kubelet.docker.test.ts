import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildAgent } from '../../scripts/build-agent';
import { type ControlPlane, startControlPlane } from '../controlPlane';
import { issueCert } from '../pki/certificates';
import { createCluster, deleteCluster } from '../provisioner/cluster';
import { installAgent } from '../provisioner/installAgent';
import { createDockerProvider } from '../provisioner/providers/dockerProvider';
import type { NodeHandle } from '../provisioner/providers/nodeProvider';
import { sideloadImage } from '../provisioner/sideloadImage';
import { importBusyboxImage } from '../provisioner/testImages';
import { createMemoryStore } from '../store/memoryStore';
import { credentialFiles } from './credentials';
import { labels } from './kubelet/containerLabels';
import { apiServerCommonName } from './kubeletApi/kubeletAuth';
import { portForwardProtocol } from './kubeletApi/portForwardProtocol';
import { channel, streamProtocols } from './kubeletApi/streamProtocol';

// Real engine: one node running the agent bundle against an in-process control plane.
// Run with `npx vitest run --project docker cluster/agent`.

const runId = Math.random().toString(36).slice(2, 8);
const cluster = `kdagent-${runId}`;
const image = `kubedesk-test-busybox:${runId}`;
const provider = createDockerProvider();
const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-agent-test-'));
const nodeToken = `node-token-${runId}`;

let plane: ControlPlane | undefined;
let node: NodeHandle;
let core: CoreV1Api;
let caller: { ca: string; cert: string; key: string };
const startupMs: number[] = [];

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const nodeSh = async (script: string) => (await provider.exec(node, ['sh', '-c', script])).stdout.trim();

function kubeletGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: node.kubeletHostPort, path, ...caller }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function kubeletExec(
  pod: string,
  container: string,
  command: string[],
): Promise<{ stdout: string; status: string }> {
  const query = new URLSearchParams([
    ...command.map((c) => ['command', c]),
    ['stdout', 'true'],
    ['stderr', 'true'],
  ]);
  const ws = new WebSocket(
    `wss://127.0.0.1:${node.kubeletHostPort}/exec/default/${pod}/${container}?${query}`,
    [...streamProtocols],
    caller,
  );
  let stdout = '';
  let status = '';
  return new Promise((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      if (data[0] === channel.stdout) stdout += data.subarray(1).toString();
      if (data[0] === channel.status) status = data.subarray(1).toString();
    });
    ws.on('close', () => resolve({ stdout, status }));
    ws.on('error', reject);
  });
}

function kubeletPortForward(pod: string, port: number, payload: string): Promise<string> {
  const url = `wss://127.0.0.1:${node.kubeletHostPort}/portForward/default/${pod}?port=${port}`;
  const ws = new WebSocket(url, [portForwardProtocol], caller);
  let received = '';
  return new Promise((resolve, reject) => {
    ws.on('open', () => ws.send(Buffer.from(payload)));
    ws.on('message', (data: Buffer) => (received += data.toString()));
    ws.on('close', () => resolve(received));
    ws.on('error', reject);
  });
}

const podContainerIds = (uid: string) =>
  nodeSh(`docker ps -aq --no-trunc --filter label=${labels.podUid}=${uid} | sort`);

const busybox = (name: string, script: string, extra: Record<string, unknown> = {}) => ({
  name,
  image,
  imagePullPolicy: 'IfNotPresent',
  command: ['sh', '-c', script],
  ...extra,
});

async function createPod(name: string, spec: Record<string, unknown>): Promise<void> {
  const body = {
    metadata: { name, namespace: 'default' },
    spec: { nodeName: node.name, terminationGracePeriodSeconds: 1, ...spec },
  };
  const started = Date.now();
  await core.createNamespacedPod({ namespace: 'default', body: body as V1Pod });
  void until(async () => ((await readPod(name)).status?.phase === 'Running' ? true : undefined), name).then(
    () => startupMs.push(Date.now() - started),
    () => undefined,
  );
}

const readPod = (name: string) => core.readNamespacedPod({ name, namespace: 'default' });

beforeAll(async () => {
  const bundlePath = await buildAgent(join(dataDir, 'agent.cjs'));
  await importBusyboxImage(provider, image);
  const state = await createCluster({ name: cluster, nodes: 1 }, { provider });
  node = state.nodes[0] as NodeHandle;
  plane = await startControlPlane({
    dataDir,
    store: createMemoryStore(),
    port: 0,
    bindAddresses: ['127.0.0.1', state.network.gateway],
    tokens: { [nodeToken]: { user: `system:node:${node.name}`, groups: ['system:nodes'] } },
  });
  const ca = { cert: plane.caCert, key: readFileSync(join(dataDir, 'pki', 'ca.key'), 'utf8') };
  const serving = await issueCert({
    ca,
    cn: node.name,
    usage: 'server',
    sans: { dns: [node.name, 'localhost'], ips: ['127.0.0.1', node.ip] },
    now: new Date(),
    validityDays: 1,
  });
  const client = await plane.issueClientCert(apiServerCommonName, []);
  caller = { ca: plane.caCert, cert: client.cert, key: client.key };
  await sideloadImage(provider, node, image);
  await installAgent(provider, node, {
    bundlePath,
    files: {
      [`credentials/${credentialFiles.server}`]: `https://host.docker.internal:${plane.port}`,
      [`credentials/${credentialFiles.ca}`]: plane.caCert,
      [`credentials/${credentialFiles.token}`]: nodeToken,
      [`credentials/${credentialFiles.kubeletCert}`]: serving.cert,
      [`credentials/${credentialFiles.kubeletKey}`]: serving.key,
    },
  });
  const kc = new KubeConfig();
  kc.loadFromFile(plane.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
}, 600_000);

afterAll(async () => {
  if (node)
    process.stdout.write(`agent log tail:\n${await nodeSh('tail -n 15 /var/log/kubedesk-agent.log')}\n`);
  if (startupMs.length)
    process.stdout.write(`pod start → Running (ms): ${startupMs.sort((a, b) => a - b).join(', ')}\n`);
  await deleteCluster(cluster, { provider }).catch(() => undefined);
  await plane?.stop();
  await provider.docker
    .getImage(image)
    .remove({ force: true })
    .catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kubelet agent on a real node', () => {
  it('registers its Node, which becomes Ready with capacity, addresses and labels', async () => {
    const ready = await until(async () => {
      const n = await core.readNode({ name: node.name });
      return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? n : undefined;
    }, 'the node to be Ready');
    expect(ready.metadata?.labels?.['kubernetes.io/hostname']).toBe(node.name);
    expect(ready.spec?.podCIDR).toBe(node.podCidr);
    expect(ready.status?.addresses).toContainEqual({ type: 'InternalIP', address: node.ip });
    expect(ready.status?.nodeInfo?.kubeletVersion).toBe('v1.35.0');
    expect(ready.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^docker:\/\//);
    expect(Number(ready.status?.capacity?.pods)).toBe(110);
  });

  it('runs pods: an init container, configMap env and volume, a shared emptyDir, logs and exec through the kubelet API', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'greeting' }, data: { word: 'world', 'file.txt': 'from-volume' } },
    });
    await createPod('web', {
      initContainers: [
        busybox('init', 'echo from-init > /data/init', {
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        }),
      ],
      containers: [
        busybox(
          'main',
          'echo hello-$WORD; cat /config/file.txt; echo; cat /data/init; echo shared > /data/x; sleep 3600',
          {
            env: [{ name: 'WORD', valueFrom: { configMapKeyRef: { name: 'greeting', key: 'word' } } }],
            volumeMounts: [
              { name: 'config', mountPath: '/config' },
              { name: 'data', mountPath: '/data' },
            ],
          },
        ),
        busybox('side', 'while [ ! -f /data/x ]; do sleep 0.1; done; cat /data/x; sleep 3600', {
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        }),
      ],
      volumes: [
        { name: 'config', configMap: { name: 'greeting' } },
        { name: 'data', emptyDir: {} },
      ],
    });
    const pod = await until(async () => {
      const p = await readPod('web');
      return p.status?.phase === 'Running' && p.status.containerStatuses?.every((c) => c.ready)
        ? p
        : undefined;
    }, 'pod web to run');
    expect(pod.status?.podIP).toMatch(/^10\.244\.1\./);
    expect(pod.status?.hostIP).toBe(node.ip);
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const main = await until(async () => {
      const r = await kubeletGet('/containerLogs/default/web/main');
      return r.body.includes('from-volume') ? r : undefined;
    }, 'logs of main');
    expect(main.status).toBe(200);
    expect(main.body).toContain('hello-world');
    expect(main.body).toContain('from-init');
    expect(pod.status?.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    const side = await until(async () => {
      const r = await kubeletGet('/containerLogs/default/web/side?timestamps=true');
      return r.body.includes('shared') ? r.body : undefined;
    }, 'logs of side');
    expect(side).toMatch(/^\d{4}-\d\d-\d\dT\S+ shared/);
    expect(await kubeletExec('web', 'main', ['echo', 'hi'])).toEqual({
      stdout: 'hi\n',
      status: JSON.stringify({ metadata: {}, status: 'Success' }),
    });
    const failed = await kubeletExec('web', 'main', ['sh', '-c', 'exit 3']);
    expect(JSON.parse(failed.status).details.causes[0]).toEqual({ reason: 'ExitCode', message: '3' });
  });

  it('refuses kubelet API callers without the API server certificate', async () => {
    const saved = caller;
    caller = { ca: saved.ca, cert: '', key: '' };
    try {
      expect((await kubeletGet('/containerLogs/default/web/main')).status).toBe(401);
    } finally {
      caller = saved;
    }
  });

  it('puts a crashing container into CrashLoopBackOff with a growing restart count', async () => {
    await createPod('crash', { containers: [busybox('fail', 'echo boom; exit 1')] });
    const status = await until(
      async () => {
        const c = (await readPod('crash')).status?.containerStatuses?.[0];
        return c && (c.restartCount ?? 0) >= 2 && c.state?.waiting?.reason === 'CrashLoopBackOff'
          ? c
          : undefined;
      },
      'CrashLoopBackOff',
      90_000,
    );
    expect(status.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const previous = await kubeletGet('/containerLogs/default/crash/fail?previous=true');
    expect(previous.body).toContain('boom');
  }, 120_000);

  it('keeps a pod with a failing readiness probe not Ready', async () => {
    await createPod('unready', {
      containers: [
        busybox('app', 'sleep 3600', {
          readinessProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 1 },
        }),
      ],
    });
    const pod = await until(async () => {
      const p = await readPod('unready');
      return p.status?.phase === 'Running' ? p : undefined;
    }, 'pod unready to run');
    await sleep(3000);
    const later = await readPod('unready');
    expect(pod.status?.podIP).toBeTruthy();
    expect(later.status?.containerStatuses?.[0]?.ready).toBe(false);
    expect(later.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
  });

  it('forwards a TCP connection to a pod port over the port-forward WebSocket', async () => {
    await createPod('httpd', {
      containers: [
        busybox('web', 'mkdir -p /www && echo forwarded > /www/index.html && httpd -f -p 8080 -h /www'),
      ],
    });
    await until(
      async () => ((await readPod('httpd')).status?.phase === 'Running' ? true : undefined),
      'pod httpd to run',
    );
    const answer = await until(async () => {
      const text = await kubeletPortForward('httpd', 8080, 'GET / HTTP/1.0\r\n\r\n');
      return text.includes('forwarded') ? text : undefined;
    }, 'the forwarded answer');
    expect(answer).toMatch(/^HTTP\/1\.[01] 200/);
  });

  it('restarts a container whose liveness probe fails', async () => {
    await createPod('unhealthy', {
      containers: [
        busybox('app', 'sleep 3600', {
          livenessProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 1 },
        }),
      ],
    });
    const restarted = await until(async () => {
      const c = (await readPod('unhealthy')).status?.containerStatuses?.[0];
      return (c?.restartCount ?? 0) >= 1 ? c : undefined;
    }, 'a liveness restart');
    expect(restarted?.lastState?.terminated).toBeDefined();
  });

  it('runs postStart before a container counts as started, and restarts the container when the hook fails', async () => {
    await createPod('hooks', {
      containers: [
        busybox('ready', 'sleep 3600', {
          lifecycle: { postStart: { exec: { command: ['touch', '/tmp/post-started'] } } },
          readinessProbe: { exec: { command: ['test', '-f', '/tmp/post-started'] }, periodSeconds: 1 },
        }),
        busybox('broken', 'sleep 3600', { lifecycle: { postStart: { exec: { command: ['false'] } } } }),
      ],
    });
    const broken = await until(async () => {
      const statuses = (await readPod('hooks')).status?.containerStatuses ?? [];
      const b = statuses.find((c) => c.name === 'broken');
      return statuses.find((c) => c.name === 'ready')?.ready && (b?.restartCount ?? 0) >= 1 ? b : undefined;
    }, 'a ready container and a restarted one');
    expect(broken?.lastState?.terminated).toBeDefined();
    expect(['PostStartHookError', 'CrashLoopBackOff']).toContain(broken?.state?.waiting?.reason);
  });

  it('runs preStop before SIGTERM when a liveness probe restarts a container', async () => {
    await createPod('prestop', {
      terminationGracePeriodSeconds: 5,
      containers: [
        busybox('app', "trap 'echo term; exit 0' TERM; echo up; while true; do sleep 1; done", {
          lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop > /proc/1/fd/1'] } } },
          livenessProbe: { exec: { command: ['false'] }, initialDelaySeconds: 2, failureThreshold: 1 },
        }),
      ],
    });
    const previous = await until(async () => {
      const r = await kubeletGet('/containerLogs/default/prestop/app?previous=true');
      return r.status === 200 && r.body.includes('term') ? r.body : undefined;
    }, 'the restarted container log');
    expect(previous.split('\n').filter(Boolean)).toEqual(['up', 'prestop', 'term']);
  });

  it('sleeps through a preStop sleep hook before stopping a deleted pod', async () => {
    await createPod('draining', {
      terminationGracePeriodSeconds: 5,
      containers: [
        busybox('app', "trap 'exit 0' TERM; while true; do sleep 1; done", {
          lifecycle: { preStop: { sleep: { seconds: 2 } } },
        }),
      ],
    });
    await until(
      async () => ((await readPod('draining')).status?.phase === 'Running' ? true : undefined),
      'draining',
    );
    const deleted = Date.now();
    await core.deleteNamespacedPod({ name: 'draining', namespace: 'default' });
    await until(
      () =>
        readPod('draining').then(
          () => undefined,
          () => Date.now(),
        ),
      'pod draining to be removed',
    );
    // The deletion waited for the 2 s sleep; without the hook it takes a fraction of a second.
    expect(Date.now() - deleted).toBeGreaterThanOrEqual(2000);
  });

  it('deletes a pod whose postStart hook never ends: the deletion stops the hook', async () => {
    await createPod('stuck', {
      containers: [
        busybox('app', 'sleep 3600', { lifecycle: { postStart: { exec: { command: ['sleep', '3600'] } } } }),
      ],
    });
    const uid = (await readPod('stuck')).metadata?.uid ?? '';
    // The app container runs, its hook holds the pod's sync.
    await until(
      async () =>
        (await nodeSh(`docker ps -q --filter label=${labels.podUid}=${uid}`)).split('\n').length >= 2
          ? true
          : undefined,
      'the stuck pod to run its containers',
    );
    await core.deleteNamespacedPod({ name: 'stuck', namespace: 'default' });
    await until(
      () =>
        readPod('stuck').then(
          () => undefined,
          () => true,
        ),
      'pod stuck to be removed',
    );
    expect(await podContainerIds(uid)).toBe('');
  });

  it('adopts its containers after an agent restart and removes those of pods deleted meanwhile', async () => {
    const web = await readPod('web');
    const uid = web.metadata?.uid ?? '';
    const before = await podContainerIds(uid);
    const httpdUid = (await readPod('httpd')).metadata?.uid ?? '';
    expect(await podContainerIds(httpdUid)).not.toBe('');
    await nodeSh('kubedesk-agent stop');
    // With the kubelet away, a forced delete removes the pod from the API at once.
    await core.deleteNamespacedPod({ name: 'httpd', namespace: 'default', gracePeriodSeconds: 0 });
    await nodeSh('kubedesk-agent start');
    await until(
      async () => ((await podContainerIds(httpdUid)) === '' ? true : undefined),
      'orphan containers to go',
    );
    await sleep(2000);
    expect(await podContainerIds(uid)).toBe(before);
    const after = await readPod('web');
    expect(after.status?.phase).toBe('Running');
    expect(after.status?.containerStatuses?.map((c) => c.restartCount)).toEqual([0, 0]);
  });

  it('removes the containers of a deleted pod, then the pod itself', async () => {
    const uid = (await readPod('web')).metadata?.uid ?? '';
    await core.deleteNamespacedPod({ name: 'web', namespace: 'default', gracePeriodSeconds: 1 });
    await until(async () => {
      const gone = await readPod('web').then(
        () => false,
        () => true,
      );
      return gone ? true : undefined;
    }, 'pod web to be removed');
    expect(await nodeSh(`docker ps -aq --filter label=${labels.podUid}=${uid}`)).toBe('');
  });
});
