// Dashboard table benchmark: `kubedesk serve` with simulated nodes and 5,000 pods, the Workloads
// page open in Chromium. Prints the time from a pod change in the API server (a status write) to
// its row showing it, p50/p99 (target p99 ≤ 300 ms), and the renderer's JS heap after GC.
// Each change is also split into stages: the API server's write, its watch delivering the change
// (the host's informer is fed by the same watch), the host's table stream reaching the page's
// WebSocket, and the page applying and painting it. `--profile` adds the renderer's and the host's
// busiest functions during the changes.
// Build the renderer first (npx electron-vite build).
// Run: npx tsx bench/dashboardTable.bench.ts [--pods 5000] [--nodes 50] [--changes 200] [--profile]
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from '../e2e/support/browser';
import { startServe } from '../e2e/support/kubedeskProcess';
import { type CpuProfile, topSelfTime } from './support/cpuProfileSummary';
import { kubeClientFromKubeconfig } from './support/kubeClient';
import { percentile, pool, timed } from './support/stats';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '5000' },
    nodes: { type: 'string', default: '50' },
    changes: { type: 'string', default: '200' },
    profile: { type: 'boolean', default: false },
  },
});
const podCount = Number(values.pods);
const changeCount = Number(values.changes);
/** Pods in namespace `aaa` sort first, so their rows are on screen in the virtualised table. */
const watchedCount = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

const podBody = (namespace: string, name: string, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels: { app: namespace } },
  spec: { containers: [{ name: 'app', image: 'registry.local/app:1' }], ...(nodeName ? { nodeName } : {}) },
});

const stages = ['api write', 'api watch', 'host table → page socket', 'page apply → row shown'] as const;
type Stage = (typeof stages)[number];

/** In the page before its scripts run: the time each table event naming a reason reaches the socket. */
const socketArrivalsScript = `(() => {
  window.socketArrivals = {};
  window.snapshotArrivedAt = undefined;
  window.tableTraffic = { batches: 0, upserts: 0 };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const data = String(event.data);
        if (data.length > 100000 && window.snapshotArrivedAt === undefined) window.snapshotArrivedAt = Date.now();
        if (data.includes('"type":"changes"')) {
          window.tableTraffic.batches += 1;
          window.tableTraffic.upserts += data.split('"health":').length - 1;
        }
        const found = /"(Bench\\d+)"/.exec(data);
        if (found && window.socketArrivals[found[1]] === undefined) window.socketArrivals[found[1]] = Date.now();
      });
    }
  };
})()`;

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-bench-table-'));
  const hostProfiles = join(dataDir, 'host-profiles');
  const serve = await startServe(dataDir, {
    args: ['--nodes', '0', '--simulated-nodes', values.nodes],
    timeoutMs: 60_000,
    ...(values.profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${hostProfiles}`] } : {}),
  });
  const browser = await launchChromium();
  try {
    const kubeconfig = join(dataDir, 'kubeconfig');
    await waitFor('the kubeconfig', () => existsSync(kubeconfig));
    const kube = kubeClientFromKubeconfig(kubeconfig);
    await waitFor(
      'the API server',
      async () => (await kube.call('GET', '/api/v1/namespaces/default')).status === 200,
    );
    for (const ns of ['aaa', 'load']) {
      await kube.call('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      });
    }
    // The watched pods are bound to a node that does not exist, so only this benchmark writes their status.
    const [, createMs] = await timed(() =>
      pool(podCount, 16, async (i) => {
        const body =
          i < watchedCount
            ? podBody('aaa', `watched-${i}`, 'bench-no-kubelet')
            : podBody('load', `load-${String(i).padStart(5, '0')}`);
        const res = await kube.call('POST', `/api/v1/namespaces/${body.metadata.namespace}/pods`, body);
        if (res.status !== 201) throw new Error(`create pod: ${res.status} ${res.text}`);
      }),
    );
    console.log(`created ${podCount} pods in ${(createMs / 1000).toFixed(1)} s`);

    // The page's CSP forbids eval, which Playwright's string predicates use.
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
    await page.addInitScript(socketArrivalsScript);
    const opened = Date.now();
    const [, loadMs] = await timed(async () => {
      await page.goto(`${serve.url}#/workloads`);
      await page.waitForFunction(
        `document.querySelector('.resource-toolbar [aria-live]')?.textContent === '${podCount} pods'`,
        undefined,
        { timeout: 120_000, polling: 100 },
      );
      await page.waitForSelector('tr[data-key="aaa/watched-0"]');
    });
    const snapshotAt = Number(await page.evaluate('window.snapshotArrivedAt'));
    console.log(
      `Workloads page showing ${podCount} pods after ${(loadMs / 1000).toFixed(1)} s ` +
        `(the pods snapshot reached its socket after ${((snapshotAt - opened) / 1000).toFixed(1)} s)`,
    );

    // The API server's own watch delivery of each change, as the host's informer gets it.
    const watchedAt = new Map<string, number>();
    const watch = kube.stream('/api/v1/namespaces/aaa/pods?watch=1', (line) => {
      const reason = /"reason":"(Bench\d+)"/.exec(line)?.[1];
      if (reason && !watchedAt.has(reason)) watchedAt.set(reason, Date.now());
    });
    const cdp = await page.context().newCDPSession(page);
    if (values.profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    await page.evaluate('window.tableTraffic = { batches: 0, upserts: 0 }');
    const latencies: number[] = [];
    const stageMs = new Map<Stage, number[]>(stages.map((stage) => [stage, []]));
    const loadBefore = loadavg()[0] ?? 0;
    for (let i = 0; i < changeCount; i++) {
      const name = `watched-${i % watchedCount}`;
      const reason = `Bench${i}`;
      // Armed in the page before the write: records when the row's STATUS cell shows the new reason.
      // A string, not a function: tsx would wrap a function's inner helpers in its own `__name`.
      await page.evaluate(`(() => {
        const key = ${JSON.stringify(`aaa/${name}`)};
        const text = ${JSON.stringify(reason)};
        window.seenAt = undefined;
        window.rowObserver?.disconnect();
        window.rowObserver = new MutationObserver(() => {
          const cell = document.querySelector('tr[data-key="' + key + '"] td:nth-child(4)');
          if (cell?.textContent === text && window.seenAt === undefined) {
            window.seenAt = Date.now();
            window.rowObserver.disconnect();
          }
        });
        window.rowObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
      })()`);
      const path = `/api/v1/namespaces/aaa/pods/${name}/status`;
      const pod = JSON.parse((await kube.call('GET', path)).text);
      pod.status = { ...pod.status, phase: 'Pending', reason };
      const started = Date.now();
      const res = await kube.call('PUT', path, pod);
      const written = Date.now();
      if (res.status !== 200) throw new Error(`update status: ${res.status} ${res.text}`);
      const handle = await page.waitForFunction(
        () => (window as unknown as { seenAt?: number }).seenAt,
        undefined,
        {
          timeout: 10_000,
          polling: 'raf',
        },
      );
      const shown = Number(await handle.jsonValue());
      latencies.push(shown - started);
      const arrived = Number(await page.evaluate(`window.socketArrivals[${JSON.stringify(reason)}]`));
      const watched = watchedAt.get(reason) ?? Number.NaN;
      stageMs.get('api write')?.push(written - started);
      stageMs.get('api watch')?.push(watched - started);
      stageMs.get('host table → page socket')?.push(arrived - watched);
      stageMs.get('page apply → row shown')?.push(shown - arrived);
      await sleep(50);
    }
    watch.close();
    console.log(
      `pod status write → row updated (${changeCount} changes, ${podCount} pods): ` +
        `p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${Math.max(...latencies)} ms` +
        ` (load average ${loadBefore.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)})`,
    );
    for (const [stage, samples] of stageMs) {
      const known = samples.filter(Number.isFinite);
      console.log(
        `  ${stage.padEnd(26)} p50 ${percentile(known, 50)} ms, p99 ${percentile(known, 99)} ms, max ${Math.max(...known)} ms`,
      );
    }
    const traffic = (await page.evaluate('window.tableTraffic')) as { batches: number; upserts: number };
    console.log(`  table batches reaching the page meanwhile: ${traffic.batches}, rows ${traffic.upserts}`);
    if (values.profile) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      console.log('renderer, busiest functions during the changes (self time):');
      for (const line of topSelfTime(profile)) console.log(`  ${line}`);
    }

    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    console.log(`renderer JS heap after GC: used ${mib(heap.usedSize)}, total ${mib(heap.totalSize)}`);
  } finally {
    await browser.close();
    await serve.stop();
    // The whole host run, creation included: node writes the profile when the host exits.
    for (const file of existsSync(hostProfiles) ? readdirSync(hostProfiles) : []) {
      console.log(`host (${file}), busiest functions over the run (self time):`);
      const profile = JSON.parse(readFileSync(join(hostProfiles, file), 'utf8')) as CpuProfile;
      for (const line of topSelfTime(profile)) console.log(`  ${line}`);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
