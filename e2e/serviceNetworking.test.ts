import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlRunner } from '../cluster/api/testing/kubectlRunner';
import { clusterNameFor } from '../cluster/provisioner/clusterName';
import { createDockerProvider } from '../cluster/provisioner/providers/dockerProvider';
import { httpTestPort, importBusyboxImage, importNodeHttpImage } from '../cluster/provisioner/testImages';
import { inPod, isReadyPod, kubectlApply, kubectlJson, until } from './support/kubectlSessions';
import { deleteInstallation, kubedeskCli } from './support/kubedeskCli';

// Services across real nodes, as a pod sees them: cluster DNS names, ClusterIP load balancing,
// endpoint changes while requests flow, a headless Service with a StatefulSet (A and SRV records),
// a NodePort on another node's address, and the API server through the `kubernetes` Service with
// the mounted service account token.

const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-svcnet-'));
const cli = kubedeskCli(dataDir);
const cluster = clusterNameFor(dataDir);
const node = (index: number) => `${cluster}-node-${index}`;
const busybox = `kubedesk-test-busybox:${cluster}`;
const http = `kubedesk-test-http:${cluster}`;
const provider = createDockerProvider();
let kubectl: Kubectl;

const manifests = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 5
      # Away from the client's node, so every request crosses nodes.
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions: [{ key: kubernetes.io/hostname, operator: NotIn, values: [${node(3)}] }]
      containers:
        - name: web
          image: ${http}
          imagePullPolicy: Never
          ports: [{ name: http, containerPort: ${httpTestPort} }]
          readinessProbe: { httpGet: { path: /, port: http }, periodSeconds: 1 }
          # The server exits at SIGTERM. As Kubernetes advises for such apps, a preStop sleep keeps
          # it serving while every node's proxy drops its endpoint (that starts as the kubelet's
          # stop does, so without it requests reach a pod that has just exited).
          lifecycle: { preStop: { sleep: { seconds: 2 } } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
---
apiVersion: v1
kind: Service
metadata: { name: web-nodeport, namespace: default }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: default }
spec:
  nodeName: ${node(3)}
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: ${busybox}
      imagePullPolicy: Never
      command: [sleep, '100000']
---
apiVersion: v1
kind: Namespace
metadata: { name: sts }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: sts }
spec:
  clusterIP: None
  selector: { app: sts-web }
  ports:
    - { name: http, port: ${httpTestPort} }
    - { name: metrics, port: 9090 }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: web, namespace: sts }
spec:
  serviceName: web
  replicas: 2
  selector: { matchLabels: { app: sts-web } }
  template:
    metadata: { labels: { app: sts-web } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: web
          image: ${http}
          imagePullPolicy: Never
          ports: [{ name: http, containerPort: ${httpTestPort} }, { name: metrics, containerPort: 9090 }]
`;

const getJson = <T>(args: string[]) => kubectlJson<T>(kubectl, args);

const readyPods = async (namespace: string, selector: string) =>
  (await getJson<{ items: V1Pod[] }>(['get', 'pods', '-n', namespace, '-l', selector])).items.filter(
    isReadyPod,
  );

const waitReady = (namespace: string, selector: string, count: number) =>
  until(
    async () => {
      const pods = await readyPods(namespace, selector);
      return pods.length === count ? pods : undefined;
    },
    `${count} ready pods ${selector} in ${namespace}`,
    120_000,
  );

const inClient = (script: string, timeoutMs?: number) => inPod(kubectl, 'client', script, { timeoutMs });
const inWeb0 = (script: string) => inPod(kubectl, 'web-0', script, { namespace: 'sts' });

/** `count` requests to `url` from the client, one line per request: the answer, or FAIL. */
const requests = (url: string, count: number) =>
  `i=0; while [ $i -lt ${count} ]; do wget -qO- ${url} 2>/dev/null || echo FAIL; i=$((i+1)); done`;

beforeAll(async () => {
  kubectl = kubectlRunner(join(dataDir, 'kubeconfig'), mkdtempSync(join(tmpdir(), 'kubedesk-home-')));
  await Promise.all([importBusyboxImage(provider, busybox), importNodeHttpImage(provider, http)]);
  const start = await cli(['start', '--nodes', '3', '--api-port', '0'], 600_000);
  if (start.code !== 0) throw new Error(`kubedesk start failed:\n${start.stdout}\n${start.stderr}`);
  for (const image of [busybox, http]) {
    const load = await cli(['image', 'load', image], 300_000);
    if (load.code !== 0) throw new Error(`image load ${image}: ${load.stderr}`);
  }
  await kubectlApply(kubectl, manifests);
  await Promise.all([
    waitReady('default', 'app=web', 3),
    waitReady('default', 'app!=web', 1),
    waitReady('sts', 'app=sts-web', 2),
  ]);
}, 900_000);

afterAll(async () => {
  await deleteInstallation(dataDir, [busybox, http]);
});

describe('service networking across real nodes', () => {
  it('gives pods the cluster DNS, search list and Service environment variables', async () => {
    const resolv = await inClient('cat /etc/resolv.conf');
    expect(resolv).toContain('nameserver 10.96.0.10');
    expect(resolv).toContain('search default.svc.cluster.local svc.cluster.local cluster.local');
    expect(resolv).toContain('options ndots:5');
    const svc = await getJson<V1Service>(['get', 'service', 'web']);
    const env = await inClient('env');
    expect(env).toContain(`WEB_SERVICE_HOST=${svc.spec?.clusterIP}`);
    expect(env).toContain(`WEB_PORT_80_TCP=tcp://${svc.spec?.clusterIP}:80`);
    expect(env).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1');
    expect(env).toContain('KUBERNETES_SERVICE_PORT=443');
  });

  it('serves 300 requests by short, namespaced and full name from another node, reaching all 3 pods', async () => {
    const names = ['web', 'web.default', 'web.default.svc.cluster.local'];
    const lines = (await inClient(names.map((name) => requests(`http://${name}`, 100)).join('; ')))
      .split('\n')
      .filter(Boolean);
    expect(lines).toHaveLength(300);
    expect(lines.filter((line) => line === 'FAIL')).toEqual([]);
    const pods = (await readyPods('default', 'app=web')).map((p) => `hello from ${p.metadata?.name}`).sort();
    expect([...new Set(lines)].sort()).toEqual(pods);
  });

  it('keeps answering while the Deployment scales to 1 and back and a pod is deleted', async () => {
    // Requests back to back until every stopping pod is gone, so each stop happens under traffic.
    const traffic = inClient(
      'rm -f /tmp/stop; while [ ! -f /tmp/stop ]; do wget -qO- http://web 2>/dev/null || echo FAIL; done',
      300_000,
    );
    await kubectl(['scale', 'deployment/web', '--replicas', '1']);
    await waitReady('default', 'app=web', 1);
    await kubectl(['scale', 'deployment/web', '--replicas', '3']);
    const [victim] = await waitReady('default', 'app=web', 3);
    await kubectl(['delete', 'pod', victim?.metadata?.name ?? '', '--wait=false']);
    await until(
      async () => {
        const { items } = await getJson<{ items: V1Pod[] }>(['get', 'pods', '-l', 'app=web']);
        return items.length === 3 && items.every(isReadyPod) ? true : undefined;
      },
      'the stopped pods to be gone and 3 ready pods',
      120_000,
    );
    await inClient('touch /tmp/stop');
    const lines = (await traffic).split('\n').filter(Boolean);
    const failures = lines.filter((line) => line === 'FAIL').length;
    process.stdout.write(`requests during scaling and deletion: ${lines.length}, failed: ${failures}\n`);
    expect(lines.length).toBeGreaterThan(100);
    // Every node's proxy dropped each stopping pod within its 2 s preStop sleep.
    expect(failures).toBe(0);
  });

  it('resolves a StatefulSet pod through its headless Service, and lists its ports over SRV', async () => {
    const pods = await readyPods('sts', 'app=sts-web');
    const web0 = pods.find((p) => p.metadata?.name === 'web-0');
    // Through the C library's resolver, as applications resolve: `web-0.web` has a dot, so only
    // ndots:5 and the search list make it a cluster name (busybox nslookup never searches then).
    const lookup = await kubectl([
      'exec',
      '-n',
      'sts',
      'web-0',
      '--',
      'node',
      '-e',
      "require('node:dns').lookup('web-0.web', (err, address) => console.log(err ? err.code : address))",
    ]);
    expect(lookup.stdout.trim()).toBe(web0?.status?.podIP);
    const headless = await inWeb0('nslookup web.sts.svc.cluster.local');
    for (const pod of pods) expect(headless).toContain(`Address: ${pod.status?.podIP}`);
    const srv = await inWeb0('nslookup -type=SRV web.sts.svc.cluster.local');
    expect(srv).toMatch(new RegExp(`${httpTestPort} web-0\\.web\\.sts\\.svc\\.cluster\\.local`));
    expect(srv).toMatch(/9090 web-1\.web\.sts\.svc\.cluster\.local/);
    const reverse = await inWeb0(`nslookup ${web0?.status?.podIP}`);
    expect(reverse).toContain('web-0.web.sts.svc.cluster.local');
  });

  it('answers a NodePort on another node’s address', async () => {
    const svc = await getJson<V1Service>(['get', 'service', 'web-nodeport']);
    const nodes = (await getJson<{ items: V1Node[] }>(['get', 'nodes'])).items;
    const ip = nodes
      .find((n) => n.metadata?.name === node(1))
      ?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const answer = await inClient(`wget -qO- http://${ip}:${svc.spec?.ports?.[0]?.nodePort}`);
    expect(answer).toMatch(/^hello from web-/);
  });

  it('reaches the API server as https://kubernetes.default.svc with the mounted token and CA', async () => {
    const [pod] = await readyPods('default', 'app=web');
    const script = `
      const https = require('node:https'), fs = require('node:fs');
      const dir = '/var/run/secrets/kubernetes.io/serviceaccount/';
      https.get('https://kubernetes.default.svc/api', {
        ca: fs.readFileSync(dir + 'ca.crt'),
        headers: { Authorization: 'Bearer ' + fs.readFileSync(dir + 'token', 'utf8') },
      }, (res) => { let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => console.log(res.statusCode, body)); });`;
    const result = await kubectl(['exec', pod?.metadata?.name ?? '', '--', 'node', '-e', script]);
    expect(result.stdout).toMatch(/^200 \{"kind":"APIVersions"/);
  });
});
