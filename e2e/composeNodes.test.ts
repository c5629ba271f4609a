import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlRunner } from '../cluster/api/testing/kubectlRunner';
import { composeProjectLabel } from '../cluster/compose/deploy/composeLabels';
import { clusterNameFor } from '../cluster/provisioner/clusterName';
import { createDockerProvider } from '../cluster/provisioner/providers/dockerProvider';
import { importBusyboxImage, importNodeHttpImage } from '../cluster/provisioner/testImages';
import { inPod, kubectlApply, kubectlJson, until } from './support/kubectlSessions';
import { deleteInstallation, kubedeskCli } from './support/kubedeskCli';

// `kubedesk compose up` of a two-service app on two real nodes, with nothing from a registry: `web`
// is built by the host's Docker engine from a Dockerfile on a locally made Node.js image and reads
// a key from `store`, a Redis-like TCP key/value server on that same local image. Both images reach
// the nodes by sideload. A pod on the other node asks `web` by its Service name (cluster DNS and the
// node proxy), `compose ps` lists the project, and `compose down` removes exactly what `up` made.

const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-compose-nodes-'));
const projectDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-compose-app-'));
const cli = kubedeskCli(dataDir);
const cluster = clusterNameFor(dataDir);
const baseImage = `kubedesk-test-http:${cluster}`;
const busybox = `kubedesk-test-busybox:${cluster}`;
const project = `kv-${randomBytes(3).toString('hex')}`;
/** Docker Compose's name for a built image without `image:`. */
const builtRepository = `${project}-web`;
const greeting = `hello-${randomBytes(4).toString('hex')}`;
const composeFile = join(projectDir, 'compose.yaml');
const provider = createDockerProvider();
const byProject = `${composeProjectLabel}=${project}`;
let kubectl: Kubectl;

// Inline commands: SET key value, GET key → +value or -ERR, one per line. Keys come seeded from
// SEED_<key> variables. No `$` anywhere, which compose would read as interpolation.
const storeProgram = `
const net = require('node:net');
const data = new Map();
for (const [name, value] of Object.entries(process.env))
  if (name.startsWith('SEED_')) data.set(name.slice(5), value);
net.createServer((socket) => {
  let buffer = '';
  socket.on('data', (chunk) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\\n'); end >= 0; end = buffer.indexOf('\\n')) {
      const [command, key, ...value] = buffer.slice(0, end).trim().split(' ');
      buffer = buffer.slice(end + 1);
      if (command === 'SET') { data.set(key, value.join(' ')); socket.write('+OK\\r\\n'); }
      else if (command === 'GET') socket.write(data.has(key) ? '+' + data.get(key) + '\\r\\n' : '-ERR no such key\\r\\n');
      else socket.write('-ERR unknown command\\r\\n');
    }
  });
}).listen(6379, () => console.log('store listening on 6379'));
process.on('SIGTERM', () => process.exit(0));
`;

// KV_ADDRESS rather than STORE_*: the kubelet sets STORE_PORT=tcp://… for the store Service.
const webProgram = `
const http = require('node:http');
const net = require('node:net');
const [host, port] = process.env.KV_ADDRESS.split(':');
const get = (key) =>
  new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), host, () => socket.write('GET ' + key + '\\r\\n'));
    let buffer = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('store did not answer')));
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer += chunk;
      const end = buffer.indexOf('\\r\\n');
      if (end < 0) return;
      socket.end();
      const line = buffer.slice(0, end);
      if (line.startsWith('+')) resolve(line.slice(1));
      else reject(new Error(line));
    });
  });
http
  .createServer((req, res) => {
    get('greeting').then(
      (value) => res.end(value + '\\n'),
      (err) => { res.statusCode = 502; res.end('store: ' + err.message + '\\n'); },
    );
  })
  .listen(8080, () => console.log('web listening on 8080'));
process.on('SIGTERM', () => process.exit(0));
`;

const composeYaml = `
name: ${project}
services:
  web:
    build:
      context: ./web
    ports: ["8080"]
    environment:
      KV_ADDRESS: store:6379
    labels:
      kompose.service.type: nodeport
    depends_on: [store]
  store:
    image: ${baseImage}
    command:
      - node
      - -e
      - |
${storeProgram
  .trim()
  .split('\n')
  .map((line) => `        ${line}`)
  .join('\n')}
    environment:
      SEED_greeting: \${GREETING}
    expose: ["6379"]
`;

// Objects that are not the project's, in the project's namespace: they must outlive `down`.
const unrelated = `
apiVersion: v1
kind: ConfigMap
metadata: { name: unrelated, namespace: default, labels: { app: unrelated } }
data: { keep: "yes" }
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: default, labels: { app: unrelated } }
spec:
  nodeName: ${cluster}-node-2
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: ${busybox}
      command: [sleep, '100000']
`;

const inClient = (script: string) => inPod(kubectl, 'client', script, { timeoutMs: 30_000 });

/** `kind/name` of every object of the project, in every namespace. */
async function projectObjects(): Promise<string[]> {
  const list = await kubectlJson<{ items: { kind: string; metadata: { name: string } }[] }>(kubectl, [
    'get',
    'all,configmaps,secrets,persistentvolumeclaims,ingresses,networkpolicies,namespaces',
    '-A',
    '-l',
    byProject,
  ]);
  return list.items.map((o) => `${o.kind}/${o.metadata.name}`).sort();
}

const podsOf = async (service: string) =>
  (await kubectlJson<{ items: V1Pod[] }>(kubectl, ['get', 'pods', '-l', `io.kompose.service=${service}`]))
    .items;

beforeAll(async () => {
  kubectl = kubectlRunner(join(dataDir, 'kubeconfig'), mkdtempSync(join(tmpdir(), 'kubedesk-home-')));
  mkdirSync(join(projectDir, 'web'));
  writeFileSync(join(projectDir, 'web', 'web.js'), webProgram);
  writeFileSync(
    join(projectDir, 'web', 'Dockerfile'),
    `FROM ${baseImage}\nCOPY web.js /web.js\nEXPOSE 8080\nCMD ["node", "/web.js"]\n`,
  );
  writeFileSync(composeFile, composeYaml);
  writeFileSync(join(projectDir, '.env'), `GREETING=${greeting}\n`);
  await Promise.all([importNodeHttpImage(provider, baseImage), importBusyboxImage(provider, busybox)]);
  const start = await cli(['start', '--nodes', '2', '--api-port', '0'], 600_000);
  if (start.code !== 0) throw new Error(`kubedesk start failed:\n${start.stdout}\n${start.stderr}`);
  await kubectlApply(kubectl, unrelated);
}, 900_000);

afterAll(async () => {
  const built = await provider.docker.listImages({ filters: { reference: [builtRepository] } });
  await deleteInstallation(dataDir, [...built.map((i) => i.Id), baseImage, busybox]);
  rmSync(projectDir, { recursive: true, force: true });
});

describe('compose up on real nodes', () => {
  let up: { code: number; stdout: string; stderr: string };

  it('builds web on the host engine with progress, waits for both services and prints their addresses', async () => {
    up = await cli(['compose', 'up', '-f', composeFile, '--timeout', '240'], 300_000);
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stderr).toContain(`[web] build: building ${builtRepository}`);
    expect(up.stderr).toMatch(new RegExp(`\\[web\\] build: built ${builtRepository}:[0-9a-f]{12}`));
    expect(up.stderr).toMatch(/\[store\] rollout: Deployment store: /);
    const rows = up.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^SERVICE\s+STATE\s+MESSAGE\s+ADDRESSES$/);
    expect(rows.find((r) => r.startsWith('store '))).toMatch(/\bready\b.*\d+\.\d+\.\d+\.\d+:6379$/);
    expect(rows.find((r) => r.startsWith('web '))).toMatch(
      /\bready\b.*http:\/\/localhost:\d+, \d+\.\d+\.\d+\.\d+:8080$/,
    );
    // The web pod runs the image just built, pinned by its ID so the node's copy is never stale.
    const [webPod] = await podsOf('web');
    const built = await provider.docker.getImage(builtRepository).inspect();
    expect(webPod?.spec?.containers[0]?.image).toBe(`${builtRepository}:${built.Id.slice(7, 19)}`);
    expect(webPod?.spec?.containers[0]?.imagePullPolicy).toBe('IfNotPresent');
  });

  it('answers through the web Service from a pod on another node, with the value kept in store', async () => {
    await until(async () => ((await podsOf('web')).length > 0 ? true : undefined), 'a web pod');
    const client = await until(async () => {
      const pod = await kubectlJson<V1Pod>(kubectl, ['get', 'pod', 'client']);
      return pod.status?.phase === 'Running' ? pod : undefined;
    }, 'the client pod running');
    const [webPod] = await podsOf('web');
    // Cross-node when the scheduler put web on the first node; the client is pinned to the second.
    expect(client.spec?.nodeName).toBe(`${cluster}-node-2`);
    expect(webPod?.spec?.nodeName).toMatch(new RegExp(`^${cluster}-node-[12]$`));
    expect((await inClient('wget -qO- http://web:8080/')).trim()).toBe(greeting);
    expect((await inClient('wget -qO- http://web.default.svc.cluster.local:8080/')).trim()).toBe(greeting);
  });

  it('answers from this computer at the printed localhost address', async () => {
    const url = /(http:\/\/localhost:\d+)/.exec(up.stdout)?.[1];
    expect(url).toBeDefined();
    const body = await until(async () => {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(5_000) });
      return response.ok ? response.text() : undefined;
    }, `${url} answering`);
    expect(body.trim()).toBe(greeting);
  });

  it('lists the project with compose ps', async () => {
    const ps = await cli(['compose', 'ps', '-f', composeFile]);
    expect(ps.code, ps.stderr).toBe(0);
    const rows = ps.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^SERVICE\s+KIND\s+NAME\s+NAMESPACE\s+STATUS\s+ADDRESSES$/);
    const kinds = rows.slice(1).map((r) => r.split(/\s+/).slice(0, 3).join(' '));
    expect(kinds.sort()).toEqual([
      'store Deployment store',
      'store Service store',
      'web Deployment web',
      'web Service web',
    ]);
  });

  it('compose down removes exactly what up created and leaves unrelated objects alone', async () => {
    expect(await projectObjects()).toEqual([
      'Deployment/store',
      'Deployment/web',
      'Service/store',
      'Service/web',
    ]);
    const down = await cli(['compose', 'down', '-f', composeFile]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout.trim().split('\n').sort()).toEqual([
      'removed deployment/store (default)',
      'removed deployment/web (default)',
      'removed service/store (default)',
      'removed service/web (default)',
    ]);
    expect(await projectObjects()).toEqual([]);
    // What the Deployments owned goes with them.
    await until(
      async () => ((await podsOf('web')).length + (await podsOf('store')).length === 0 ? true : undefined),
      'the project pods to be gone',
    );
    const rs = await kubectlJson<{ items: unknown[] }>(kubectl, [
      'get',
      'replicasets',
      '-l',
      'io.kompose.service in (web,store)',
    ]);
    expect(rs.items).toEqual([]);
    const left = await kubectlJson<{ items: { kind: string; metadata: { name: string } }[] }>(kubectl, [
      'get',
      'pods,configmaps',
      '-l',
      'app=unrelated',
    ]);
    expect(left.items.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/unrelated',
      'Pod/client',
    ]);
  });
});
