// Service networking benchmark on real nodes (2), measured from inside a pod (pods and the host
// share one clock, so pod timestamps compare with the host's):
//   - Service creation (the API call) → first successful request from a pod (through its DNS name),
//     and how much of it the control plane took to publish the ready EndpointSlice;
//   - endpoint-removal propagation: from the EndpointSlice update that drops a pod (seen by a
//     watch on the host) to the start of the last request that still reached it, while a pod
//     sends requests back to back (target p99 ≤ 1 s);
//   - cluster DNS latency over 1,000 sequential queries from a pod (target p99 ≤ 5 ms).
// Run: npx tsx bench/serviceNetworking.bench.ts. The machine is shared: compare runs, not single figures.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, type V1EndpointSlice, type V1Pod, Watch } from '@kubernetes/client-node';
import { kubectlRunner } from '../cluster/api/testing/kubectlRunner';
import { loadKubeConfig } from '../cluster/kubeconfig/loadKubeConfig';
import { clusterNameFor } from '../cluster/provisioner/clusterName';
import { createDockerProvider } from '../cluster/provisioner/providers/dockerProvider';
import { httpTestPort, importNodeHttpImage } from '../cluster/provisioner/testImages';
import { deleteInstallation, kubedeskCli } from '../e2e/support/kubedeskCli';
import { percentile, summary } from './support/stats';

const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-bench-svcnet-'));
const cli = kubedeskCli(dataDir);
const cluster = clusterNameFor(dataDir);
const node = (index: number) => `${cluster}-node-${index}`;
const image = `kubedesk-bench-http:${cluster}`;
const kubeconfigPath = join(dataDir, 'kubeconfig');
const kubectl = kubectlRunner(kubeconfigPath, mkdtempSync(join(tmpdir(), 'kubedesk-home-')));
const provider = createDockerProvider();
const removalRounds = 20;

async function ok(args: string[], input?: string): Promise<string> {
  const result = await kubectl(args, input === undefined ? {} : { input });
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const pod = (name: string, nodeName: string, labels: Record<string, string>, command?: string[]) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: {
    nodeName,
    terminationGracePeriodSeconds: 1,
    containers: [
      {
        name: 'main',
        image,
        imagePullPolicy: 'Never',
        ...(command ? { command } : {}),
        readinessProbe: command
          ? undefined
          : { httpGet: { path: '/', port: httpTestPort }, periodSeconds: 1 },
      },
    ],
  },
});

const service = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: httpTestPort }] },
});

async function waitRunning(names: string[]): Promise<void> {
  for (;;) {
    const pods = JSON.parse(await ok(['get', 'pods', '-o', 'json'])).items as V1Pod[];
    const ready = names.every((n) =>
      pods.some(
        (p) =>
          p.metadata?.name === n && p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready,
      ),
    );
    if (ready) return;
    await sleep(200);
  }
}

/** Runs a Node.js script in the client pod; resolves with its whole output. */
function inClient(script: string, args: string[] = []): { child: ChildProcess; output: Promise<string> } {
  const child = spawn('kubectl', [
    '--kubeconfig',
    kubeconfigPath,
    'exec',
    'client',
    '--',
    'node',
    '-e',
    script,
    ...args,
  ]);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const output = new Promise<string>((resolve) => child.once('exit', () => resolve(out)));
  return { child, output };
}

// A new attempt every 20 ms, each with its own timeout, so the figure is when the Service first
// worked (to within 20 ms), not when an attempt that started too early gave up: before the proxy
// has rules a SYN to the ClusterIP goes unanswered until its 1 s retransmit.
const firstSuccess = `
const http = require('node:http');
let done = false;
const attempt = () => {
  if (done) return;
  http
    .get({ host: process.argv[1], port: 80, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => { if (!done) { done = true; console.log(Date.now()); process.exit(0); } });
    })
    .on('error', () => undefined)
    .on('timeout', function () { this.destroy(); });
  setTimeout(attempt, 20);
};
attempt();`;

const backToBack = `
const http = require('node:http');
const next = () => { const start = Date.now(); http
  .get({ host: process.argv[1], port: 80, agent: false, timeout: 1000 }, (res) => { let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => { console.log(start + ' ' + body.trim()); next(); }); })
  .on('error', () => next())
  .on('timeout', function () { this.destroy(); }); };
next();`;

const dnsLatency = `
const { Resolver } = require('node:dns').promises;
const resolver = new Resolver({ timeout: 1000, tries: 1 });
resolver.setServers(['10.96.0.10']);
(async () => {
  const samples = [];
  for (let i = 0; i < 1000; i++) {
    const start = performance.now();
    await resolver.resolve4('web.default.svc.cluster.local');
    samples.push(performance.now() - start);
  }
  console.log(JSON.stringify(samples));
})();`;

interface CreationSample {
  /** Service created (API call returned) → first successful request from the client pod. */
  total: number;
  /** Service created → its EndpointSlice, with the ready pods, seen by a watch on the host. */
  slice: number;
}

async function serviceToFirstRequest(): Promise<CreationSample[]> {
  const kc = loadKubeConfig(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const sliceSeen = new Map<string, number>();
  const watch = await new Watch(kc).watch(
    '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
    {},
    (_type: string, slice: V1EndpointSlice) => {
      const service = slice.metadata?.labels?.['kubernetes.io/service-name'] ?? '';
      const ready = (slice.endpoints ?? []).some((e) => e.conditions?.ready !== false);
      if (ready && !sliceSeen.has(service)) sliceSeen.set(service, Date.now());
    },
    () => undefined,
  );
  const samples: CreationSample[] = [];
  for (let i = 0; i < 5; i++) {
    const name = `fresh-${i}`;
    const run = inClient(firstSuccess, [name]);
    await sleep(1500);
    const created = Date.now();
    await core.createNamespacedService({ namespace: 'default', body: service(name) });
    const succeeded = Number((await run.output).trim());
    samples.push({ total: succeeded - created, slice: (sliceSeen.get(name) ?? Number.NaN) - created });
  }
  watch.abort();
  return samples;
}

async function removalPropagation(): Promise<number[]> {
  const clusterIP = (await ok(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
  const pods = JSON.parse(await ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items as V1Pod[];
  const ipOf = new Map(pods.map((p) => [p.metadata?.name ?? '', p.status?.podIP ?? '']));
  // When each pod IP left (or came back to) the Service's EndpointSlices, as the host saw it.
  const left = new Map<string, number>();
  const present = new Set<string>();
  const kc = loadKubeConfig(kubeconfigPath);
  const watch = await new Watch(kc).watch(
    '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
    { labelSelector: 'kubernetes.io/service-name=web' },
    (_type: string, slice: V1EndpointSlice) => {
      const now = Date.now();
      const ips = new Set((slice.endpoints ?? []).flatMap((e) => e.addresses));
      for (const ip of [...present]) if (!ips.has(ip)) left.set(ip, now);
      present.clear();
      for (const ip of ips) present.add(ip);
    },
    () => undefined,
  );
  const traffic = inClient(backToBack, [clusterIP]);
  /** When each round's pod left the slices. */
  const removals: number[] = [];
  for (let round = 0; round < removalRounds; round++) {
    const name = `web-${round % 3}`;
    const ip = ipOf.get(name) ?? '';
    await ok(['label', 'pod', name, 'app=out', '--overwrite']);
    while (!left.has(ip)) await sleep(20);
    await sleep(1500);
    removals.push(left.get(ip) ?? 0);
    left.delete(ip);
    await ok(['label', 'pod', name, 'app=web', '--overwrite']);
    while (!present.has(ip)) await sleep(20);
    await sleep(500);
  }
  traffic.child.kill('SIGTERM');
  watch.abort();
  const log = (await traffic.output)
    .split('\n')
    .map((line) => line.split(' '))
    .filter((parts) => parts.length >= 4)
    .map(([start, , , pod]) => ({ start: Number(start), pod: pod ?? '' }));
  // For each removal: the last request that pod answered after it left, measured from the removal.
  return removals.map((removedAt, round) => {
    const name = `web-${round % 3}`;
    const stale = log.filter((l) => l.pod === name && l.start >= removedAt && l.start < removedAt + 1500);
    return stale.length ? Math.max(...stale.map((l) => l.start)) - removedAt : 0;
  });
}

async function main(): Promise<void> {
  await importNodeHttpImage(provider, image);
  try {
    const start = await cli(['start', '--nodes', '2', '--api-port', '0'], 600_000);
    if (start.code !== 0) throw new Error(`kubedesk start: ${start.stderr}`);
    const load = await cli(['image', 'load', image], 300_000);
    if (load.code !== 0) throw new Error(`image load: ${load.stderr}`);
    const pods = [
      pod('client', node(2), { role: 'client' }, ['sleep', '100000']),
      ...[0, 1, 2].map((i) => pod(`web-${i}`, node(1 + (i % 2)), { app: 'web' })),
    ];
    await ok(
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...pods, service('web')] }),
    );
    await waitRunning(['client', 'web-0', 'web-1', 'web-2']);

    const creation = await serviceToFirstRequest();
    process.stdout.write(
      `Service creation → first successful request from a pod: ${summary(creation.map((c) => c.total))}; of which creation → ready EndpointSlice (control plane): ${summary(creation.map((c) => c.slice))}\n`,
    );

    const removal = await removalPropagation();
    process.stdout.write(
      `endpoint removal → no more requests to it: ${summary(removal)} (target p99 ≤ 1000 ms; ${removal.filter((d) => d > 0).length}/${removal.length} rounds saw a late request)\n`,
    );

    const dns = JSON.parse((await inClient(dnsLatency).output).trim()) as number[];
    process.stdout.write(
      `DNS query latency from a pod (1,000 queries): ${summary(dns)}, max ${Math.max(...dns).toFixed(2)} ms (target p99 ≤ 5 ms; p99 ${percentile(dns, 99) <= 5 ? 'met' : 'missed'})\n`,
    );
  } finally {
    await deleteInstallation(dataDir, [image]);
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
